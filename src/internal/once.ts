/**
 * A value computed on first use and then kept. The engine's whole-library tables (issuers, document list,
 * example questions, figures by document) are built this way: at a million chunks each is a pass over every
 * document, and a server that computed them all at start-up took seconds longer to answer its first question.
 */
export function once<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}
