/** Stylesheets the harness webpack build imports as text (`type: 'asset/source'`). */
declare module '*.css' {
  const text: string;
  export default text;
}
