export { confusionMatrixSvg, type ConfusionMatrixChartOptions } from './confusion-matrix-chart.js';
export { lineChartSvg, type LineChartOptions } from './line-chart.js';
export { perClassBarChartSvg, type PerClassChartOptions } from './per-class-chart.js';
export { CHART_FONT, renderSvg } from './render-svg.js';
