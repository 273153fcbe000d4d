export { svgToPng, type SvgToPngOptions } from './svg-to-png.js';
