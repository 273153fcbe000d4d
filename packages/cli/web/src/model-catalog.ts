import { DigitPredictor } from '../../src/serve/digit-predictor.js';
import type { ModelListing } from '../../src/serve/served-models.js';

/**
 * The models the page's server serves, each fetched and restored in the page the first time
 * it is wanted, then kept.
 */
export class ModelCatalog {
  private readonly predictors = new Map<string, Promise<DigitPredictor>>();

  private constructor(
    /** Every model, in the server's order. */
    readonly entries: readonly ModelListing[],
  ) {}

  /** The server's list of models. */
  static async fetch(): Promise<ModelCatalog> {
    const { models } = (await (await fetchOk('api/models')).json()) as {
      models: ModelListing[];
    };
    return new ModelCatalog(models);
  }

  /** The model the server answers with by default: it lists it first. */
  get default(): ModelListing {
    return this.entries[0];
  }

  /** The model called `name`; undefined if the server has none by that name. */
  named(name: string): ModelListing | undefined {
    return this.entries.find((entry) => entry.name === name);
  }

  /** The model of `entry`, restored from its file (fetched once; a failed fetch is tried again next time). */
  predictor(entry: ModelListing): Promise<DigitPredictor> {
    let loading = this.predictors.get(entry.name);
    if (loading === undefined) {
      loading = fetchOk(entry.file)
        .then(async (response) => new Uint8Array(await response.arrayBuffer()))
        .then((bytes) => DigitPredictor.fromBytes(bytes, entry.summary.file));
      loading.catch(() => this.predictors.delete(entry.name));
      this.predictors.set(entry.name, loading);
    }
    return loading;
  }
}

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`GET ${url} answered ${response.status} ${response.statusText}`);
  }
  return response;
}
