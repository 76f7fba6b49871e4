// Prepended to mkdocs-material's search worker by tools/search_index.py (the build writes the result as
// assets/javascripts/workers/search.<hash>.js). It makes a query meet the index on the same words:
//  - a Chinese query is cut into words with the words of the index and jieba's frequencies (the build's
//    `config.segment.dict`: word -> log probability), the way jieba cut the pages, instead of the theme's cut, which
//    dropped each run's last character and searched single characters ("安全加载" highlighted every 加);
//  - words that only ask (吗, 怎么, 什么 ...) are left out (`segment.stop`), single characters match only
//    themselves (no prefix search), and a result says which query it answers (the page marks it);
//  - English stop words are left out too, and each word is asked for as itself above the longer words it begins;
//  - results are ranked by page (see `rank`), in both languages.
(() => {
  let words = { dict: {}, stop: [], unknown: -20, longest: 1 };
  let lastQuery = "";
  self.addEventListener("message", (ev) => {
    const message = ev.data || {};
    const setup = message.type === 0 && message.data && message.data.config;
    if (setup && setup.segment) {                                         // SETUP: the index, with our words
      words = setup.segment;
      words.stopSet = new Set(words.stop);
    }
    if (message.type === 2) lastQuery = message.data;                     // QUERY
  });
  // Pages in the order of how well the whole page answers, not of its single best section: the theme ranked a page
  // by one section and multiplied the score of each page's first section by up to 4, so a page that mentions a word
  // once near its top outranked the page about it. A page's score here: the sum of its sections' scores (a page
  // about the topic answers in several), times the share of the query's words the page has somewhere, squared.
  const rank = (groups) => groups.map((group) => {
    let total = 0, asked = 0;
    const found = new Set();
    for (const item of group) {
      const terms = Object.keys(item.terms || {});
      const hits = terms.filter((term) => item.terms[term]);
      hits.forEach((term) => found.add(term));
      asked = Math.max(asked, terms.length);
      const share = terms.length ? hits.length / terms.length : 0;
      const raw = item.score / (1 + ((item.parent ? 0 : 1) + share) ** 2);   // undo the theme's boost
      total += raw * (1 + share * share);
    }
    const coverage = asked ? found.size / asked : 1;
    return [group, total * (1 + coverage) ** 2];
  }).sort((a, b) => b[1] - a[1]).map(([group]) => group);

  const post = self.postMessage.bind(self);
  self.postMessage = (message, ...rest) => {
    if (message && message.type === 3 && message.data) {                // RESULT
      message.data.query = lastQuery;
      message.data.items = rank(message.data.items || []);
    }
    return post(message, ...rest);
  };

  // The most probable cut of a run of Han characters: jieba's DAG and route, over the index's words.
  const cut = (run) => {
    const n = run.length, best = [[0, 0]];
    for (let i = 0; i < n; i++) {
      if (!best[i]) continue;
      for (let j = i + 1; j <= Math.min(n, i + words.longest); j++) {
        const word = run.slice(i, j);
        let logp = words.dict[word];
        if (logp === undefined && j === i + 1) logp = words.unknown;
        if (logp === undefined) continue;
        const score = best[i][0] + logp;
        if (!best[j] || score > best[j][0]) best[j] = [score, i];
      }
    }
    const out = [];
    for (let j = n; j > 0; j = best[j][1]) out.unshift(run.slice(best[j][1], j));
    return out;
  };

  // English words that only hold a sentence together (lunr's stop words: "a", "on", "to", "is" ...). The index
  // leaves them out, so in a query they only matched other words by prefix (the theme adds "*" to every word):
  // "to" found every "torch...", "on" every "onnx...", and outweighed the words that name the topic.
  const dropStopWords = (query) => {
    const filter = self.lunr && self.lunr.stopWordFilter;
    if (!filter) return query;
    const words = query.split(/\s+/).filter(Boolean);
    const kept = words.filter((word) => !/^[a-z']+$/i.test(word) || filter(word.toLowerCase()));
    return kept.length ? kept.join(" ") : query;
  };

  // The theme matches every query word as a prefix ("save*"), and each longer word it finds counts as a word of the
  // query of its own: a section with "save_file" and "save_model" (rare words, high weight) outranked one titled
  // "Save a training checkpoint". Each word is also asked for as itself, weighted above the words it begins.
  const EXACT = 10;
  const preferExact = (query) => query.includes('"') ? query : query.split(/\s+/).filter(Boolean)
    .map((word) => (/^[^+\-^~*:][^^~*:]*$/.test(word) ? `${word}^${EXACT} ${word}` : word)).join(" ");

  // A query with every Han run cut into words.
  const segmentHan = (query) => query.replace(/\p{sc=Han}+/gu, (run) => {
    const found = cut(run);
    const kept = found.filter((word) => !words.stopSet?.has(word));
    return " " + (kept.length ? kept : found)
      .map((word) => (word.length === 1 ? `${word}^1` : word))  // "^1": exact, the theme adds no "*"
      .join(" ") + " ";
  });

  // Called by the worker in place of its own segmentation (and the first thing it does with a query).
  self.segmentQuery = (query) => preferExact(segmentHan(dropStopWords(query)));
})();
