/**
 * The shape of a question — what kind of answer it asks for — in Chinese and English. One classifier for the
 * whole answer layer: extractive scoring reads its `need` (a figure, a time), list answers read its `kind`
 * and `multi`, and the scope check reads `need`. General phrasings only; nothing about any corpus.
 *
 * - `list`: a set of things (有哪些要求, 主要任务是什么, 包括什么, 哪几方面; "what are", "which", "list").
 * - `procedure`: steps in order (流程, 步骤, 程序, 怎么一步步, 分哪几个阶段; "what are the steps").
 * - `condition`: what must hold (需要什么条件, 准入条件, 哪些情形, 能不能……需要什么; "requirements", "in which situations").
 * - `comparison`: the same question over several named documents, regions or years (浙江和四川……分别, 两份通知各自).
 * - `number`, `time`: one figure or one date/time limit (多少, 几个, 什么时候; "how many", "when") — issue 11.
 *   A figure asked of a sum of money (补贴多少钱, 罚款最高多少, "how much is the subsidy") needs an amount in 元:
 *   a clause with only a count or an age (满3岁) does not answer it.
 * - `fact`: anything else.
 */
import { provinceShortNames } from '../ingest/metadata/regions.js';

export type QuestionKind = 'list' | 'procedure' | 'condition' | 'comparison' | 'number' | 'time' | 'fact';

/** What an answer unit must hold: a figure, a sum of money, a time, or nothing in particular. */
export type AnswerNeed = 'figure' | 'amount' | 'time' | null;

export interface QuestionShape {
  kind: QuestionKind;
  need: AnswerNeed;
  /** The answer is a set of items (list, procedure, condition, comparison). */
  wantsItems: boolean;
  /** The question names several documents, regions or years and wants each of them answered. */
  multi: boolean;
}

/**
 * A figure or a time: the answer must be the clause that holds it (全省生产总值增长5%—5.5%, 自2019年3月1日起施行),
 * never a heading or a clause without it.
 */
const QUANTITY_QUESTION =
  /多少|(?<!哪)几[个家项亿万件次条名人倍天年月批所座种]|多大|多高|多长|多远|比例|比重|增速|增幅|增长率|上限|下限|标准是|how (many|much|large|high|fast)|(?<!(?:according to|depending on|based on|by|with) (?:the )?)number of|what (rate|share|percentage|proportion|target|cap|ceiling|limit)|\b(?:maximum|minimum|upper limit|lower limit)\b|数量|规模/i;
const TIME_QUESTION =
  /什么时候|何时|哪天|星期几|周几|礼拜几|哪一天|几月|几号|几日|截止|期限|时限|时间节点|时间表|时间安排|多久|多长时间|从哪|起施行|之前完成|^\s*when\s+(?:is|are|was|were|do|does|did|will|shall|should|must|can|has|have)\b|what date|which (day|date|month|year|week|weekday|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|what day of the week|deadline|how long|by when/i;
/** Money words: what they ask the figure of is a sum (元), not a count. */
const MONEY_ZH = '补贴|补助|津贴|奖补|奖励|罚款|罚金|费用|收费|价格|电价|工资|薪酬|金额|资助';
const MONEY_EN =
  'subsid(?:y|ies)|allowances?|fees?|fines?|prices?|costs?|salar(?:y|ies)|wages?|pensions?|bonus(?:es)?|rewards?|grants?|payments?|compensation';
const MONEY_QUESTION = new RegExp(
  `多少钱|多少元|(?:${MONEY_ZH}).{0,8}(?:多少|几)|\\bhow much money\\b|\\bhow much\\b.{0,60}\\b(?:${MONEY_EN})\\b|\\b(?:${MONEY_EN})\\b.{0,40}\\bhow much\\b|\\b(?:maximum|minimum|highest|lowest|largest|smallest)\\s+(?:${MONEY_EN})\\b`,
  'iu',
);
/** …unless what is asked of the money is a share of it (按采购金额的多少比例, "what percentage of the fee"). */
const RATIO_QUESTION =
  /比例|比重|百分|占比|[费税利汇]率|[几多少]倍|\b(?:percent(?:age)?|proportion|ratio|rate|share|times)\b/iu;
/** "会不会…", "能不能…", "是否…": a yes/no question may be answered by a clause without a figure. */
const YES_NO =
  /会不会|能不能|是不是|要不要|可不可以|是否|可否|有没有|管不管|行不行|[吗么][？?]?$|^(?:is|are|can|does|do|will|must|should)\b/iu;

const PROCEDURE_ZH =
  /流程|步骤|程序|环节|阶段|手续|怎么办理|如何办理|怎样办理|如何申请|怎么申请|怎样申请|一步步|一级一级|逐级|哪几关|先后|依次/u;
const PROCEDURE_EN =
  /\b(steps?|procedures?|process|stages?|phases?|workflow)\b|\bhow (?:do|does|is|are|can|should) .{0,60}\b(?:apply|register|organi[sz]ed|started|launched|triggered|handled|carried out|chosen|decided|determined)\b/iu;
const CONDITION_ZH =
  /条件|资格|准入|门槛|情形|什么情况下|哪些情况|需要满足|需要具备|应当具备|应具备|必须具备|要符合|符合哪些|(?:什么|哪些|何种|有何)要求|要求有哪些/u;
const CONDITION_EN =
  /\b(conditions?|eligib\w*|qualif\w*|requirements?|required|criteria|prerequisites?|in which (?:cases|situations|circumstances)|under what (?:conditions|circumstances))\b/iu;
const LIST_ZH =
  /哪些|哪几|哪[一]?类|哪方面|几方面|几类|包括(?:什么|哪)|有何|什么(?:要求|条件|措施|举措|情形|材料)|各自|分别|各环节|各方面|列举|主要(?:内容|任务|措施)/u;
const LIST_EN =
  /^\s*(?:what|which) (?:are|were|kinds?|types?|sorts?)\b|\b(?:list|enumerate)\b|\bwhich \w+(?:s|es) (?:are|were|do|does|must|should|can|will)\b|\bwhat (?:\w+ ){0,4}(?:measures|tasks|steps|policies|rules|duties|responsibilities|targets|goals|caps|limits|items|ways|methods|areas|situations|cases)\b|\beach (?:party|side|of)\b|\bresponsib\w+\b|\bmeasures\b/iu;

/**
 * Two province-level regions (from the region table, ingest/metadata/regions.ts) or two years joined by
 * 和/与/及/、, or comparison words, name several scopes. Built on first use: the table is loaded lazily.
 */
let twoScopesZh: RegExp | null = null;
let regionsZh: string | null = null;

function provincesPattern(): string {
  regionsZh ??= provinceShortNames().join('|');
  return regionsZh;
}

function twoScopes(): RegExp {
  const regions = provincesPattern();
  twoScopesZh ??= new RegExp(
    `(?:${regions})(?:省|市|自治区)?(?:和|与|及|、|跟|同)(?:${regions})|(?:19|20)\\d{2}年?(?:和|与|及|、)(?:19|20)\\d{2}年|(?:两|二|2)(?:份|个|省|地|市|项|部)(?:文件|通知|方案|规定|办法|报告|意见)?.{0,12}(?:各自|分别|异同|区别|对比|比较)|(?:两|二)(?:份|者|地|省)|请?结合.{2,40}(?:和|与|及).{2,40}(?:回答|来看|说明)|对比|比较|异同|区别`,
    'u',
  );
  return twoScopesZh;
}
const TWO_SCOPES_EN =
  /\b(?:compare|comparison|differences?|both|respectively)\b|\b(?:19|20)\d{2} and (?:19|20)\d{2}\b|\btwo (?:documents|notices|provinces|regions|reports|plans)\b/iu;

/** Classifies a question (see the module comment). Pure and cheap; called once per answer. */
export function questionShape(question: string): QuestionShape {
  const q = question.trim();
  const yesNo = YES_NO.test(q);
  const need: AnswerNeed = yesNo
    ? null
    : TIME_QUESTION.test(q)
      ? 'time'
      : QUANTITY_QUESTION.test(q)
        ? MONEY_QUESTION.test(q) && !RATIO_QUESTION.test(q)
          ? 'amount'
          : 'figure'
        : null;
  const multi = twoScopes().test(q) || TWO_SCOPES_EN.test(q);
  const procedure = PROCEDURE_ZH.test(q) || PROCEDURE_EN.test(q);
  const condition = CONDITION_ZH.test(q) || CONDITION_EN.test(q);
  const list = LIST_ZH.test(q) || LIST_EN.test(q);
  let kind: QuestionKind;
  // A figure or a time asked without a list phrasing ("现场检查阶段要在几月几日前完成？") is one fact; asked
  // with one ("分别要在什么时候前完成？") it is a list of them.
  const single = need !== null && !list;
  const compares = /对比|比较|异同|区别|\b(?:compare|comparison|differences?)\b/iu.test(q);
  if (multi && (list || procedure || condition || compares || need !== null)) kind = 'comparison';
  else if (procedure && !single) kind = 'procedure';
  // "能不能……需要什么条件" asks for the conditions, not for a yes or no.
  else if (condition && !single && (!yesNo || /什么|哪|what|which/iu.test(q))) kind = 'condition';
  else if (list) kind = 'list';
  else if (need === 'figure' || need === 'amount') kind = 'number';
  else if (need === 'time') kind = 'time';
  else kind = 'fact';
  const wantsItems = kind === 'list' || kind === 'procedure' || kind === 'condition' || kind === 'comparison';
  return { kind, need, wantsItems, multi: multi && wantsItems };
}

/**
 * The scopes a multi-scope question names, in order: two or more province-level regions, two or more years,
 * or the two things joined after 结合 ("请结合国家新型储能通知和广东抽水蓄能方案回答"). Empty when it names fewer.
 * The engine retrieves for each of them, so that every document the question spans is among the passages.
 */
export function namedScopes(question: string): string[] {
  const regions = [...question.matchAll(new RegExp(`(?:${provincesPattern()})`, 'gu'))].map((m) => m[0]);
  const unique = (xs: string[]) => [...new Set(xs)];
  if (unique(regions).length >= 2) return unique(regions);
  const years = unique([...question.matchAll(/(?:19|20)\d{2}年/gu)].map((m) => m[0]));
  if (years.length >= 2) return years;
  const joined = /结合(.{2,40}?)(?:和|与|及)(.{2,40}?)(?:回答|来看|说明|分析|[，。？?]|$)/u.exec(question);
  if (joined?.[1] && joined[2]) return [joined[1], joined[2]];
  return [];
}
