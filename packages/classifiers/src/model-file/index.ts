export {
  encodeSafetensors,
  decodeSafetensors,
  MAX_HEADER_BYTES,
  type SafetensorsContents,
} from './safetensors.js';
export { encodeModel, decodeModel, MODEL_FORMAT_VERSION, type ModelFile } from './model-format.js';
export { classifierOf, modelFile, modelFromFile, type SavedModel } from './saved-model.js';
