/**
 * Python difflib.SequenceMatcher(None, a, b).ratio(): 2*M/T where M counts the
 * characters of the recursively found longest matching blocks (Ratcliff/Obershelp).
 * Used to suggest an operator the way DANDI's search parser does.
 */
export function sequenceRatio(a: string, b: string): number {
  const total = a.length + b.length;
  return total === 0 ? 1 : (2 * matchingCharacters(a, b)) / total;
}

function matchingCharacters(a: string, b: string): number {
  if (!a || !b) return 0;
  let bestLen = 0;
  let bestA = 0;
  let bestB = 0;
  // Longest common substring, leftmost in a, then leftmost in b (difflib's tie-break).
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      let k = 0;
      while (i + k < a.length && j + k < b.length && a[i + k] === b[j + k]) k++;
      if (k > bestLen) {
        bestLen = k;
        bestA = i;
        bestB = j;
      }
    }
  }
  if (bestLen === 0) return 0;
  return (
    bestLen +
    matchingCharacters(a.slice(0, bestA), b.slice(0, bestB)) +
    matchingCharacters(a.slice(bestA + bestLen), b.slice(bestB + bestLen))
  );
}

/** difflib.get_close_matches(word, possibilities, n=1, cutoff): the best match or undefined. */
export function closestMatch(word: string, possibilities: readonly string[], cutoff = 0.6): string | undefined {
  let best: { score: number; value: string } | undefined;
  for (const value of possibilities) {
    const score = sequenceRatio(value, word);
    // get_close_matches orders by (score, string) descending.
    if (score >= cutoff && (!best || score > best.score || (score === best.score && value > best.value))) {
      best = { score, value };
    }
  }
  return best?.value;
}
