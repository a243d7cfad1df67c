/** Vite resolves `?url` imports to the served file's URL. */
declare module '*.wasm?url' {
  const url: string;
  export default url;
}
