export * from "./connection";
export * from "./definitions";
export * from "./jobs-client";
