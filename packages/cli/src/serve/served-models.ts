import type { IncomingMessage } from 'node:http';
import { basename, extname } from 'node:path';
import { TypedlearnError } from '@typedlearn/tensor';
import { DigitPredictor } from './digit-predictor.js';
import { HttpError } from './http-error.js';
import { summarizeModel, type ModelSummary } from './model-summary.js';

/** A model file to serve: its name (without folders) and its bytes. */
export interface ModelFileBytes {
  fileName: string;
  bytes: Uint8Array;
}

/** One model the server answers with. */
export interface ServedModel {
  /** What requests call it (`?model=forest`, `/models/forest`): the file name without its extension. */
  name: string;
  fileName: string;
  bytes: Uint8Array;
  predictor: DigitPredictor;
  summary: ModelSummary;
}

/** One entry of `GET /api/models`, as the drawing page reads it. */
export interface ModelListing {
  /** What the server calls it: its file name without the extension. */
  name: string;
  /** The model type: 'forest', 'svm', ... */
  type: string;
  /** True for the model the server answers with when a request names none (the first). */
  default: boolean;
  /** Where its file is served: `/models/NAME`. */
  file: string;
  summary: ModelSummary;
}

/** The name a model file is served under: `models/forest.safetensors` -> `forest`. */
export function servedModelName(file: string): string {
  const name = basename(file);
  return name.slice(0, name.length - extname(name).length);
}

/** The first two of `files` that would be served under the same name, if any. */
export function sameNamedFiles(files: readonly string[]): [string, string] | undefined {
  const seen = new Map<string, string>();
  for (const file of files) {
    const earlier = seen.get(servedModelName(file));
    if (earlier !== undefined) return [earlier, file];
    seen.set(servedModelName(file), file);
  }
  return undefined;
}

/** The models of one server, by name; the first is the default. */
export class ServedModels {
  /** The model a request gets when it names none. */
  readonly default: ServedModel;
  /** Every model, the default first. */
  readonly all: readonly ServedModel[];
  private readonly byName: ReadonlyMap<string, ServedModel>;

  /**
   * Restores each file's model (an invalid one is a `FormatError` naming it). Two files with
   * the same name once the extension is dropped are refused: requests could not tell them apart.
   */
  constructor(files: readonly ModelFileBytes[]) {
    if (files.length === 0) throw new TypedlearnError('a digit server needs at least one model');
    const clash = sameNamedFiles(files.map((file) => file.fileName));
    if (clash !== undefined) {
      throw new TypedlearnError(
        `two models would both be served as '${servedModelName(clash[0])}' (${clash[0]} and ${clash[1]}): ` +
          'a model is named after its file name without the extension, so give the files different names',
      );
    }
    this.all = files.map(({ fileName, bytes }) => {
      const predictor = DigitPredictor.fromBytes(bytes, fileName);
      const summary = summarizeModel(predictor, fileName, bytes.length);
      return { name: servedModelName(fileName), fileName, bytes, predictor, summary };
    });
    this.default = this.all[0];
    this.byName = new Map(this.all.map((model) => [model.name, model]));
  }

  /**
   * The model the request's `?model=NAME` names, or the default without one; an unknown name
   * is a 404 that lists the served names.
   */
  requested(req: IncomingMessage): ServedModel {
    const url = req.url ?? '';
    const queryStart = url.indexOf('?');
    if (queryStart < 0) return this.default;
    const name = new URLSearchParams(url.slice(queryStart + 1)).get('model');
    if (name === null) return this.default;
    const model = this.byName.get(name);
    if (model === undefined) {
      throw new HttpError(
        404,
        `no model named '${name}': this server has ${[...this.byName.keys()].map((n) => `'${n}'`).join(', ')} ` +
          '(GET /api/models lists them)',
      );
    }
    return model;
  }
}
