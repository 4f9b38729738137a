/**
 * Web-page chrome as Chinese government and exchange sites print it — widgets (下载/打印/全屏/【字号：加大 还原
 * 减小】, 字体 [大][中][小], 朗读, 长者模式), navigation (首页 > 政务公开 > …, 您所在的位置), share and close
 * links, and footers (ICP 备案, 网站标识码, 主办单位, 版权所有). Patterns of site furniture in general, not of
 * particular sites. Scrapers put each widget word on a line of its own, so single words are matched too —
 * but only next to other chrome (a lone "大" in the text is content).
 */

/** Lines that are chrome wherever they stand. */
const STRONG: RegExp[] = [
  /^[【[]?\s*字\s*号\s*[：:]?.*$/u,
  /^[【[]?\s*字\s*体\s*[：:]/u,
  /^分享(?:到)?\s*[：:]?$/u,
  /^(?:政策性文件)?留言咨询/u,
  /^(?:内容|正文|摘要|全文)\s*[：:]$/u,
  /(?:IE|ie)\d*以下|更换或升级浏览器|请使用.{0,10}浏览器/u,
  /客服信箱|联系我们/u,
  /^相关(?:附件|链接|文件|信息)\s*[>》»]+$/u,
  /^[0-9a-f]{16,}\s*[：:]?$/iu,
  /^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*\d{1,2}\s*[时:：]\s*\d{1,2}\s*分?(?:\s*\d{1,2}\s*秒?)?$/u,
  /^[【[(（]?\s*(?:打印本页|打印此页|打印文档|打印正文|关闭窗口|关闭本页|返回顶部|返回首页|返回主站|返回列表|加入收藏|设为首页|网站地图|扫一扫在手机打开当前页|扫一扫在手机上查看当前页面|在手机上查看|分享到|我在听，?请说话|退出长者模式|进入长者模式|长者模式|无障碍浏览|无障碍)\s*[】\])）]?\s*[：:]?$/u,
  /(?:ICP\s*备|ICP证|公网安备|网站标识码|网站识别码|建议使用.{0,20}浏览器|分辨率.{0,10}浏览)/iu,
  /^(?:主办单位|承办单位|协办单位|技术支持|运维单位|版权所有|主办|承办)\s*[：:]/u,
  /^.{0,40}(?:版权所有|Copyright|©).{0,60}$/iu,
  /^(?:您(?:所在的|现在的|的)?位置|当前位置|所在位置)\s*[：:]/u,
  /^(?:责任编辑|编辑|审核|校对|浏览次数|点击数|阅读次数|访问量|访问次数|浏览量)\s*[：:]/u,
  /^(?:上一篇|下一篇|上一条|下一条)\s*(?:[：:]|$)/u,
  /^(?:相关阅读|相关链接|相关文章|相关新闻|相关导读|相关政策与解读|相关解读|相关稿件|推荐阅读|热点推荐|排行榜|友情链接|政策解读|图片解读|一图读懂)\s*[：:]?$/u,
  /^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*星期[一二三四五六日天]$/u,
  // Breadcrumbs: 首页 > 政务公开 > 政策 (a comparison such as "负荷率>50%" is not all Han).
  /^(?:[>›»/|]\s*)?[\p{Script=Han}（）()]{1,16}(?:\s*[>›»]\s*[\p{Script=Han}（）()]{1,16}){1,}\s*[>›»]?$/u,
  /^(?:\/\s*[\p{Script=Han}]{1,12}\s*){2,}$/u,
];

/** Widget and menu words: chrome when they stand next to other chrome or outside the document's frame. */
const WEAK = new Set([
  '下载',
  '打印',
  '全屏',
  '收藏',
  '分享',
  '关闭',
  '返回',
  '首页',
  '搜索',
  '登录',
  '注册',
  '加大',
  '还原',
  '减小',
  '默认',
  '大',
  '中',
  '小',
  '[大]',
  '[中]',
  '[小]',
  '【大】',
  '【中】',
  '【小】',
  '大|中|小',
  '小|中|大',
  '朗读',
  '语音播报',
  '指读',
  '大鼠标',
  '页面放大',
  '页面缩小',
  '简体',
  '繁体',
  '简体|繁体',
  '简|繁',
  '微信',
  '微博',
  '打印文章',
  '【打印】',
  '【关闭】',
  '[打印]',
  '[关闭]',
  '[ 打印 ]',
  '[ 关闭 ]',
  '工作邮箱',
  '政务邮箱',
  'EN',
  'Aa',
  'A+',
  'A-',
  'English',
  'ENGLISH',
  '下载文字版',
  '下载图片版',
  '图片版',
  '文字版',
  '原文下载',
  '正文下载',
  '手机版',
  '邮箱',
  '留言咨询',
  '政策性文件留言咨询',
  '>',
  '›',
  '»',
  '|',
  '【',
  '】',
  '[',
  ']',
  '：',
  ':',
]);

const normalize = (line: string) => line.replace(/[\s\u3000]+/gu, ' ').trim();

/**
 * Furniture that sites put right after an article: once the document has begun, the first of these marks
 * its end ("扫一扫在手机打开当前页", "打印本页", "相关链接", "责任编辑：…").
 */
const END_OF_ARTICLE =
  /^[【[(（]?\s*(?:扫一扫在手机打开当前页|扫一扫在手机上查看当前页面|打印本页|打印此页|打印文档|打印|关闭窗口|关闭本页|关闭|分享到|相关链接|相关阅读|相关导读|相关文章|相关新闻|相关政策与解读|相关解读|相关稿件|推荐阅读|排行榜|责任编辑|上一篇|下一篇|联系我们|网站地图)\s*[】\])）]?\s*(?:[：:>》»].*)?$/u;

/** True for a line that marks the end of an article on a web page (see END_OF_ARTICLE). */
export function isEndOfArticle(line: string): boolean {
  return END_OF_ARTICLE.test(normalize(line));
}

/** Chrome wherever it stands (see STRONG). */
export function isStrongChrome(line: string): boolean {
  const text = normalize(line);
  return STRONG.some((p) => p.test(text));
}

/** A widget or menu word (see WEAK); chrome only in context. */
export function isWeakChrome(line: string): boolean {
  const text = normalize(line);
  return WEAK.has(text) || WEAK.has(text.replace(/\s+/gu, ''));
}

/**
 * Per line: is it chrome? Strong patterns always; weak words before `textStart` (the first line of running
 * text) or when a neighbour (after skipping other weak words) is chrome too, so "下载 / 打印 / 全屏 / 收藏 /
 * 【字号：" goes as a block and a lone "大" in the text stays.
 */
export function chromeMask(lines: readonly string[], textStart = 0): boolean[] {
  const strong = lines.map(isStrongChrome);
  const weak = lines.map(isWeakChrome);
  const mask = strong.slice();
  // Before the running text starts, a widget word is chrome even alone ("朗读" above the 文号).
  for (let i = 0; i < Math.min(textStart, lines.length); i++) if (weak[i]) mask[i] = true;
  // "责任编辑：" / "李莎莎": a chrome label whose value the scraper put on the next line.
  for (let i = 0; i + 1 < lines.length; i++) {
    if (strong[i] && /[：:]\s*$/u.test(lines[i] ?? '') && (lines[i + 1] ?? '').trim().length <= 10) {
      mask[i + 1] = true;
    }
  }
  // Runs of weak words: chrome when the run has two or more words or touches strong chrome.
  let i = 0;
  while (i < lines.length) {
    if (!weak[i] || strong[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j < lines.length && weak[j] && !strong[j]) j++;
    const touches = (strong[i - 1] ?? false) || (strong[j] ?? false);
    if (j - i >= 2 || touches) for (let k = i; k < j; k++) mask[k] = true;
    i = j;
  }
  return mask;
}
