/** Chinese function words that carry no retrieval signal; dropped at indexing and query time. */
export const ZH_STOPWORDS: ReadonlySet<string> = new Set([
  '的', '地', '得', '了', '着', '过', '和', '与', '及', '以及', '等', '等等', '在', '是', '把', '被', '对', '将',
  '从', '为', '以', '于', '并', '或', '或者', '也', '而', '之', '其', '这', '那', '这些', '那些', '这个', '那个',
  '就', '都', '又', '还', '所', '给', '向', '由于', '因为', '所以', '但', '但是', '则', '即', '及其', '并且',
  '我', '你', '他', '她', '它', '我们', '你们', '他们', '该', '此', '各', '每', '啊', '吗', '呢', '吧', '么',
]);

/** Question words and framing: said in questions, rarely in the answer text. Zero weight in queries. */
export const ZH_QUESTION_WORDS: ReadonlySet<string> = new Set([
  '什么', '哪些', '哪个', '哪里', '哪', '怎么', '怎样', '怎么样', '如何', '多少', '几', '几个', '谁', '由谁',
  '为什么', '是否', '有没有', '有何', '何', '请问', '一下', '要', '会', '能', '能够', '可以', '将要', '有',
  '有什么', '来', '做', '怎么做', '哪方面', '是什么', '什么样', '样', '关于', '具体', '主要',
]);

/** Generic framing nouns: kept, but weak evidence that a passage answers the question. */
export const ZH_WEAK_WORDS: ReadonlySet<string> = new Set([
  '方面', '工作', '安排', '措施', '情况', '内容', '目标', '问题', '部门', '领域', '年',
]);

/** English words dropped before dictionary lookup (function words, question framing). */
export const EN_STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but nor of in on at to for from by with about into onto over under as than then so ' +
    'is are was were be been being am do does did doing done have has had having will would shall should ' +
    'can could may might must what which who whom whose when where why how this that these those there here ' +
    'it its they them their theirs we us our ours you your yours he him his she her i me my mine ' +
    'any some all each every no not also very more most much many such only just own same other ' +
    'get gets got getting give given make made please tell know want like plus via per etc eg ie ' +
    'if whether yet still again up down out off s t department departments ministry'
  ).split(' '),
);

/** English framing words whose translations are weak evidence (kept at low weight). */
export const EN_WEAK_WORDS: ReadonlySet<string> = new Set([
  'plan', 'plans', 'planned', 'planning', 'government', 'work', 'measure', 'measures',
  'year', 'thing', 'things', 'way', 'ways', 'new', 'main', 'key',
]);
