/**
 * Code that runs both in Node (API, worker) and in the browser (web app):
 * no Node built-ins, no dependencies.
 */
export * from "./etag-parts";
export * from "./draft-metadata";
export * from "./dataset-json-ld";
