// policybot chat page. Plain browser JavaScript (no build step, no dependencies).
// Model output is only ever rendered as text nodes (textContent), never parsed as HTML.
(() => {
  const HISTORY_TURNS = 8;

  const STRINGS = {
    zh: {
      skip: '跳到提问框',
      title: '政策问答',
      tagline: '基于政策原文作答，每条结论附出处',
      newConversation: '新对话',
      summaries: '发文机关摘要',
      conversation: '对话',
      welcomeTitle: '您好，想了解哪项政策？',
      welcomeText: '可以用中文或英文提问。回答只依据已收录的政策文件，点击 [1] 这样的编号即可查看原文。',
      examples: '示例问题',
      closeSource: '关闭来源',
      contextLabel: '原文段落',
      questionLabel: '您的问题',
      placeholder: '输入问题，中文或英文均可',
      send: '发送',
      hint: 'Enter 发送，Shift+Enter 换行',
      langToggle: 'EN',
      langToggleLabel: 'Switch to English',
      allIssuers: '全部',
      figures: '关键数据',
      figuresFilter: '筛选（主题、部门、数值）',
      figuresCount: (n, total) => `共 ${total} 条，显示 ${n} 条`,
      figuresColumns: ['年份', '类型', '部门', '指标', '数值', '原文'],
      figureStatus: { target: '目标', result: '完成', unknown: '—' },
      figureAll: '全部',
      figureSource: '出处',
      thinking: '正在查找相关原文…',
      sources: '来源',
      sourcesCount: (n) => `全部来源（${n}）`,
      source: '来源',
      citationLabel: (n, where) => `来源 ${n}：${where}`,
      issuer: '部门',
      article: '文章',
      document: '文件',
      section: '部分',
      docNumber: '文号',
      quote: '引文',
      refused: '文档中未找到可靠依据',
      suggestionsLabel: '可以试试：',
      summaryOf: (name) => `${name}摘要`,
      summaryAll: '全部摘要',
      loadingSummary: '正在生成摘要…',
      keywordOnly: '关键词检索模式：语义模型未加载，回答可能不够全面。',
      extractiveOnly: '未配置大语言模型，回答为原文摘录。',
      unavailable: '服务暂时不可用，请稍后再试。',
      networkError: '连接中断，请检查网络后重试。',
      streamEnded: '回答未完成：连接已关闭，请重试。',
      genericError: '抱歉，出了点问题，请稍后再试。',
      rateLimited: (s) => `提问太频繁了，请 ${s} 秒后再试。`,
      requestId: (id) => `请求编号 ${id}`,
      compareTitle: '比较变化',
      compareBefore: '较早的一方',
      compareAfter: '较新的一方',
      compareBeforePlaceholder: '文件、文号或部门（可加年份），如 某部门 2021',
      compareAfterPlaceholder: '另一方（留空：成绩与目标对比）',
      compareSend: '比较',
      compareAsked: (a, b) => (b ? `比较：${a} ↔ ${b}` : `比较：${a}（成绩与目标）`),
      comparing: '正在比较…',
      compareKinds: {
        changed: '数字变化',
        fulfilled: '目标已成结果',
        added: '新增',
        dropped: '不再提及',
        kept: '延续',
      },
      compareBeforeCol: '较早',
      compareAfterCol: '较新',
      compareChangeCol: '变化',
      compareAll: '全部',
      documentSummaries: '文件摘要',
      channels: '文件范围与推送',
      channelsSets: '文件范围',
      channelsSetsColumns: ['范围', '包含的文件', 'Slack 频道', '企业微信群', '私聊'],
      channelsWhole: (n) => `全部文件（${n} 份）`,
      channelsFigures: '该范围的关键数据',
      channelsFiguresOf: (name) => `关键数据 · 范围 ${name}`,
      channelsSubscriptions: '新文件推送订阅',
      channelsSubscriptionsColumns: ['平台', '会话', '筛选', '范围', '订阅时间'],
      channelsNoSubscriptions: '暂无订阅。在 Slack 用 /policy subscribe，企业微信发送“订阅”。',
      channelsReadOnly: '此处只读：订阅与退订请在 Slack 或企业微信中操作（网页接口没有身份验证）。',
      channelsDigest: '推送预览（不会发送）',
      channelsDigestSince: '自此日期起收录的文件',
      channelsDigestRun: '预览',
      channelsDigestNone: '该日期以来没有需要推送的消息。',
      channelsDigestCount: (m, d) => `${d} 份文件，${m} 条消息`,
      channelsUnavailable: '此服务未配置文件范围与推送。',
    },
    en: {
      skip: 'Skip to the question box',
      title: 'Policy Q&A',
      tagline: 'Answers from the policy texts, every claim cited',
      newConversation: 'New chat',
      summaries: 'Issuer summaries',
      conversation: 'Conversation',
      welcomeTitle: 'Hello — what would you like to know?',
      welcomeText:
        'Ask in Chinese or English. Answers come only from the indexed policy documents; click a number like [1] to read the source.',
      examples: 'Example questions',
      closeSource: 'Close source',
      contextLabel: 'Paragraph in the source',
      questionLabel: 'Your question',
      placeholder: 'Ask in English or Chinese…',
      send: 'Send',
      hint: 'Enter to send, Shift+Enter for a new line',
      langToggle: '中文',
      langToggleLabel: '切换到中文',
      allIssuers: 'All issuers',
      figures: 'Key figures',
      figuresFilter: 'Filter (topic, issuer, value)',
      figuresCount: (n, total) => `${n} of ${total} shown`,
      figuresColumns: ['Year', 'Status', 'Issuer', 'Subject', 'Value', 'Quote'],
      figureStatus: { target: 'target', result: 'result', unknown: '—' },
      figureAll: 'All',
      figureSource: 'Source',
      thinking: 'Looking up the sources…',
      sources: 'Sources',
      sourcesCount: (n) => `All sources (${n})`,
      source: 'Source',
      citationLabel: (n, where) => `Source ${n}: ${where}`,
      issuer: 'Issuer',
      article: 'Article',
      document: 'Document',
      section: 'Section',
      docNumber: 'Document number',
      quote: 'Quote',
      refused: 'Not covered by the documents',
      suggestionsLabel: 'You could try:',
      summaryOf: (name) => `Summary: ${name}`,
      summaryAll: 'Summary of all issuers',
      loadingSummary: 'Preparing the summary…',
      keywordOnly: 'Keyword-only search (no semantic model loaded); answers may miss paraphrases.',
      extractiveOnly: 'No language model configured; answers are extracts.',
      unavailable: 'The service is not available right now. Please try again later.',
      networkError: 'The connection failed. Check your network and try again.',
      streamEnded: 'The answer was cut off because the connection closed. Please try again.',
      genericError: 'Sorry, something went wrong. Please try again later.',
      rateLimited: (s) => `Too many questions; please wait ${s} seconds.`,
      requestId: (id) => `Request ${id}`,
      compareTitle: 'What changed',
      compareBefore: 'Earlier side',
      compareAfter: 'Later side',
      compareBeforePlaceholder: 'Document, 文号 or issuer (with a year), e.g. an issuer and 2021',
      compareAfterPlaceholder: 'Other side (empty: results vs targets)',
      compareSend: 'Compare',
      compareAsked: (a, b) => (b ? `Compare: ${a} ↔ ${b}` : `Compare: ${a} (results vs targets)`),
      comparing: 'Comparing…',
      compareKinds: {
        changed: 'Numbers that moved',
        fulfilled: 'Targets that became results',
        added: 'Added',
        dropped: 'Dropped',
        kept: 'Continued',
      },
      compareBeforeCol: 'Earlier',
      compareAfterCol: 'Later',
      compareChangeCol: 'Change',
      compareAll: 'All',
      documentSummaries: 'Document summaries',
      channels: 'Channels & digests',
      channelsSets: 'Document sets',
      channelsSetsColumns: ['Set', 'Documents', 'Slack channels', 'WeCom chats', 'DMs'],
      channelsWhole: (n) => `Whole library (${n} documents)`,
      channelsFigures: 'Key figures of this set',
      channelsFiguresOf: (name) => `Key figures · set ${name}`,
      channelsSubscriptions: 'New-document digest subscriptions',
      channelsSubscriptionsColumns: ['Platform', 'Conversation', 'Filter', 'Set', 'Since'],
      channelsNoSubscriptions: 'No subscriptions yet. Slack: /policy subscribe; WeCom: send 订阅.',
      channelsReadOnly:
        'Read-only: subscribe and unsubscribe in Slack or WeCom (the web API has no sign-in).',
      channelsDigest: 'Digest preview (nothing is sent)',
      channelsDigestSince: 'Documents indexed since',
      channelsDigestRun: 'Preview',
      channelsDigestNone: 'No messages to send for documents indexed since then.',
      channelsDigestCount: (m, d) => `${d} document(s), ${m} message(s)`,
      channelsUnavailable: 'Document sets and digests are not configured on this server.',
    },
  };

  const $ = (id) => document.getElementById(id);
  const els = {
    form: $('ask-form'),
    question: $('question'),
    send: $('send'),
    messages: $('messages'),
    welcome: $('welcome'),
    examples: $('examples'),
    issuers: $('issuer-list'),
    documents: $('document-list'),
    notices: $('notices'),
    newConversation: $('new-conversation'),
    langToggle: $('lang-toggle'),
    panel: $('citation-panel'),
    panelTitle: $('citation-title'),
    panelMeta: $('citation-meta'),
    panelContext: $('citation-context'),
    panelClose: $('citation-close'),
    compareForm: $('compare-form'),
    compareBefore: $('compare-before'),
    compareAfter: $('compare-after'),
    compareSend: $('compare-send'),
  };

  const state = {
    lang: initialLanguage(),
    /** Earlier turns sent with follow-up questions, oldest first. */
    history: [],
    /** Aborts the answer being streamed (new conversation, page unload). */
    inFlight: null,
    issuers: [],
    /** The library's documents (GET /api/documents), for their summary buttons. */
    documents: [],
    /** Example questions made from the library, by language (GET /api/examples). */
    examples: { zh: [], en: [] },
    health: null,
    /** The server has channel settings: document sets, subscriptions, digests (GET /api/scopes `configured`). */
    channels: false,
    /** The button that opened the citation panel, to return focus when it closes. */
    panelOpener: null,
    passages: new Map(),
  };

  function initialLanguage() {
    try {
      const saved = localStorage.getItem('policybot.lang');
      if (saved === 'zh' || saved === 'en') return saved;
    } catch {
      // Storage can be disabled; fall back to the browser language.
    }
    return /^zh\b/i.test(navigator.language || '') ? 'zh' : 'en';
  }

  function t(key, ...args) {
    const value = STRINGS[state.lang][key];
    return typeof value === 'function' ? value(...args) : value;
  }

  // ---------- small DOM helpers (text only) ----------

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [key, value] of Object.entries(props)) {
        if (value === undefined || value === null || value === false) continue;
        if (key === 'className') node.className = value;
        else if (key === 'text') node.textContent = value;
        else if (key === 'dataset') Object.assign(node.dataset, value);
        else if (key.startsWith('on') && typeof value === 'function') {
          node.addEventListener(key.slice(2).toLowerCase(), value);
        } else node.setAttribute(key, value === true ? '' : String(value));
      }
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function isNearBottom() {
    const doc = document.scrollingElement || document.documentElement;
    return doc.scrollHeight - doc.scrollTop - window.innerHeight < 160;
  }

  function scrollToBottom(force) {
    if (!force && !isNearBottom()) return;
    const doc = document.scrollingElement || document.documentElement;
    doc.scrollTop = doc.scrollHeight;
  }

  // ---------- language ----------

  function applyLanguage() {
    document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
    document.title = state.lang === 'zh' ? '政策问答 · PolicyBot' : 'Policy Q&A · PolicyBot';
    for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
    for (const node of document.querySelectorAll('[data-i18n-placeholder]')) {
      node.setAttribute('placeholder', t(node.dataset.i18nPlaceholder));
    }
    for (const node of document.querySelectorAll('[data-i18n-aria-label]')) {
      node.setAttribute('aria-label', t(node.dataset.i18nAriaLabel));
    }
    els.langToggle.textContent = t('langToggle');
    els.langToggle.setAttribute('lang', state.lang === 'zh' ? 'en' : 'zh-CN');
    els.langToggle.setAttribute('aria-label', t('langToggleLabel'));
    renderIssuers();
    renderExamples();
    renderNotices();
  }

  // ---------- API ----------

  async function readError(response) {
    let body = null;
    try {
      body = await response.json();
    } catch {
      // Not JSON (a proxy error page): fall through to the generic message.
    }
    const error = body?.error || {};
    return {
      code: error.code || `http_${response.status}`,
      message: error.message || '',
      requestId: error.requestId || response.headers.get('X-Request-Id') || '',
      retryAfter: Number(response.headers.get('Retry-After')) || 0,
      status: response.status,
    };
  }

  /** Parses a Server-Sent Events body into {event, data} objects. */
  async function* readEvents(response) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n?/g, '\n');
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        const data = [];
        for (const line of block.split('\n')) {
          if (line === '' || line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const raw = colon < 0 ? '' : line.slice(colon + 1);
          const text = raw.startsWith(' ') ? raw.slice(1) : raw;
          if (field === 'event') event = text;
          else if (field === 'data') data.push(text);
        }
        if (data.length > 0) yield { event, data: JSON.parse(data.join('\n')) };
        end = buffer.indexOf('\n\n');
      }
    }
  }

  function errorText(error) {
    if (error.code === 'policybot_rate_limited') return t('rateLimited', error.retryAfter || 60);
    if (error.status >= 400 && error.status < 500 && error.message) return error.message;
    if (error.status === 503) return t('unavailable');
    return t('genericError');
  }

  // ---------- citations ----------

  /** Issuer · 《title》（文号） › part › section path (`source` is built by the server, citation-source.ts). */
  function whereOf(citation) {
    return [citation.issuer || citation.issuerFull, citation.source || citation.docTitle]
      .filter(Boolean)
      .join(' · ');
  }

  function citeButton(citation) {
    return el('button', {
      type: 'button',
      className: 'cite',
      text: String(citation.n),
      'aria-label': t('citationLabel', citation.n, whereOf(citation) || citation.docTitle || ''),
      'aria-controls': 'citation-panel',
      'aria-expanded': 'false',
      dataset: { n: String(citation.n) },
      onClick: (event) => openCitation(citation, event.currentTarget),
    });
  }

  /** Text with each [n] (or [n][m], [n, m]) replaced by a citation button when citation n exists. */
  function citedText(text, citations) {
    const byN = new Map(citations.map((c) => [c.n, c]));
    const fragment = document.createDocumentFragment();
    const pattern = /\[(\d+(?:\s*[,，、]\s*\d+)*)\]/g;
    let last = 0;
    for (const match of text.matchAll(pattern)) {
      const numbers = match[1].split(/\s*[,，、]\s*/).map(Number);
      if (!numbers.every((n) => byN.has(n))) continue;
      fragment.append(text.slice(last, match.index));
      for (const n of numbers) fragment.append(citeButton(byN.get(n)));
      last = match.index + match[0].length;
    }
    fragment.append(text.slice(last));
    return fragment;
  }

  /**
   * The numbered sources under an answer. Summaries pass `collapsed`: their bullets already carry the
   * numbers, so the list is there to scan, not to read first.
   */
  function sourcesList(citations, collapsed) {
    if (citations.length === 0) return null;
    const list = el('ol', { className: 'source-list' });
    for (const citation of citations) {
      list.append(
        el(
          'li',
          null,
          el(
            'button',
            {
              type: 'button',
              className: 'source',
              'aria-controls': 'citation-panel',
              onClick: (event) => openCitation(citation, event.currentTarget),
            },
            el('span', { className: 'source-n', 'aria-hidden': 'true', text: String(citation.n) }),
            el(
              'span',
              { className: 'source-text' },
              el('span', { className: 'visually-hidden', text: `${t('source')} ${citation.n}: ` }),
              el('span', {
                className: 'source-where',
                text: whereOf(citation) || citation.docTitle || citation.passageId,
              }),
              el('span', { className: 'source-quote', text: citation.quote }),
            ),
          ),
        ),
      );
    }
    if (collapsed) {
      return el(
        'details',
        { className: 'sources' },
        el('summary', { className: 'sources-title', text: t('sourcesCount', citations.length) }),
        list,
      );
    }
    return el(
      'section',
      { className: 'sources' },
      el('h3', { className: 'sources-title', text: t('sources') }),
      list,
    );
  }

  /** Fills `target` with `context`, the quote wrapped in <mark>. Returns the mark, or null if not found. */
  function highlight(target, context, quote, hint) {
    target.replaceChildren();
    let needle = quote || '';
    let at = -1;
    if (needle && Number.isInteger(hint) && context.slice(hint, hint + needle.length) === needle) at = hint;
    if (at < 0 && needle) at = context.indexOf(needle);
    if (at < 0 && needle) {
      // Quotes may differ from the source only by trailing punctuation or surrounding space.
      needle = needle.trim().replace(/[。．.；;，,!！?？…]+$/u, '');
      at = needle ? context.indexOf(needle) : -1;
    }
    if (at < 0) {
      target.append(context);
      return null;
    }
    const mark = el('mark', { text: needle });
    target.append(context.slice(0, at), mark, context.slice(at + needle.length));
    return mark;
  }

  async function loadPassage(id) {
    if (state.passages.has(id)) return state.passages.get(id);
    const response = await fetch(`/api/passages/${encodeURIComponent(id)}`, {
      headers: { Accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`passage ${response.status}`);
    const passage = await response.json();
    state.passages.set(id, passage);
    return passage;
  }

  function setPanelMeta(citation) {
    const rows = [
      [t('issuer'), citation.issuerFull || citation.issuer],
      [t('document'), citation.docTitle],
      [t('docNumber'), citation.docNumber],
      [t('article'), citation.partTitle !== citation.docTitle ? citation.partTitle : null],
      [
        t('section'),
        (citation.sectionPath || []).filter((s) => s !== citation.partTitle).join(' › ') || citation.section,
      ],
    ];
    els.panelMeta.replaceChildren();
    for (const [label, value] of rows) {
      if (!value) continue;
      els.panelMeta.append(el('dt', { text: label }), el('dd', { text: value }));
    }
  }

  function showQuote(context, citation, hint) {
    const mark = highlight(els.panelContext, context, citation.quote, hint);
    if (!mark && citation.quote) {
      // The quote is not in this context (should not happen): still show it, marked, under the paragraph.
      els.panelContext.append(
        el('span', { className: 'quote-only' }, '\n\n', el('mark', { text: citation.quote })),
      );
    }
    const shown = els.panelContext.querySelector('mark');
    if (shown) shown.scrollIntoView({ block: 'nearest' });
  }

  function openCitation(citation, opener) {
    if (state.panelOpener && state.panelOpener !== opener) {
      state.panelOpener.setAttribute('aria-expanded', 'false');
    }
    state.panelOpener = opener;
    if (opener.classList.contains('cite')) opener.setAttribute('aria-expanded', 'true');
    els.panel.dataset.passageId = citation.passageId;
    els.panelTitle.textContent = `${t('source')} [${citation.n}]`;
    setPanelMeta(citation);
    // Show the cited passage at once, then the whole paragraph when it arrives.
    showQuote(citation.passage || citation.quote, citation, null);
    els.panel.hidden = false;
    document.body.classList.add('panel-open');
    els.panel.focus();
    loadPassage(citation.passageId)
      .then((passage) => {
        if (els.panel.hidden || els.panel.dataset.passageId !== citation.passageId) return;
        const hint = Number.isInteger(citation.start) ? citation.start - passage.contextStart : null;
        showQuote(passage.context, citation, hint);
      })
      .catch(() => {
        // The passage text already shown is enough; the full paragraph is a nicety.
      });
  }

  function closeCitation() {
    if (els.panel.hidden) return;
    els.panel.hidden = true;
    document.body.classList.remove('panel-open');
    const opener = state.panelOpener;
    state.panelOpener = null;
    if (opener) {
      opener.setAttribute('aria-expanded', 'false');
      if (opener.isConnected) opener.focus();
    }
  }

  // ---------- conversation ----------

  function hideWelcome() {
    els.welcome.hidden = true;
  }

  function addUserMessage(text) {
    hideWelcome();
    const item = el('li', { className: 'msg msg-user' }, el('div', { className: 'bubble', text }));
    els.messages.append(item);
    return item;
  }

  function addBotMessage() {
    hideWelcome();
    const card = el('article', { className: 'card' });
    const item = el(
      'li',
      { className: 'msg msg-bot' },
      el('span', { className: 'avatar', 'aria-hidden': 'true', text: '策' }),
      card,
    );
    els.messages.append(item);
    return { item, card };
  }

  function renderError(card, error) {
    card.className = 'card card-error';
    card.replaceChildren(
      el(
        'p',
        { role: 'alert', className: 'error-text' },
        errorText(error),
        error.requestId
          ? el('span', { className: 'request-id', text: t('requestId', error.requestId) })
          : null,
      ),
    );
  }

  /**
   * A list answer ("- item[n]" lines under a "source：" line) as lists; anything else as cited text.
   */
  function answerContent(text, citations) {
    const lines = text.split('\n');
    if (lines.filter((l) => l.startsWith('- ')).length < 2) return citedText(text, citations);
    const fragment = document.createDocumentFragment();
    let list = null;
    for (const line of lines) {
      if (line.startsWith('- ')) {
        if (!list) {
          list = el('ul', { className: 'answer-list' });
          fragment.append(list);
        }
        const item = el('li');
        item.append(citedText(line.slice(2), citations));
        list.append(item);
      } else {
        list = null;
        if (!line.trim()) continue;
        const para = el('p', { className: 'answer-list-lead' });
        para.append(citedText(line, citations));
        fragment.append(para);
      }
    }
    return fragment;
  }

  function renderAnswer(card, body, answer) {
    body.replaceChildren(answerContent(answer.text, answer.citations));
    body.setAttribute('aria-busy', 'false');
    const parts = [];
    if (answer.refused) {
      card.classList.add('card-refused');
      card.prepend(el('span', { className: 'refused-label', text: t('refused') }));
      if (answer.suggestions.length > 0) {
        const chips = el('ul', { className: 'chip-row' });
        for (const suggestion of answer.suggestions) {
          chips.append(chipItem({ text: suggestion, onClick: () => useSuggestion(suggestion) }));
        }
        parts.push(
          el(
            'div',
            { className: 'suggestions' },
            el('p', { className: 'suggestions-label', text: t('suggestionsLabel') }),
            chips,
          ),
        );
      }
    }
    if (answer.notice) parts.push(el('p', { className: 'answer-notice', text: answer.notice }));
    const sources = sourcesList(answer.citations, false);
    if (sources) parts.push(sources);
    card.append(...parts);
  }

  function setBusy(busy) {
    els.send.disabled = busy;
    els.form.setAttribute('aria-busy', busy ? 'true' : 'false');
  }

  async function ask(text) {
    const question = text.trim();
    if (!question || state.inFlight) return;
    closeCitation();
    addUserMessage(question);
    const { item, card } = addBotMessage();
    item.dataset.state = 'streaming';
    const body = el('div', {
      className: 'answer-body',
      'aria-live': 'polite',
      'aria-busy': 'true',
    });
    const thinking = el('span', { className: 'thinking', text: t('thinking') });
    body.append(thinking);
    card.append(body);
    scrollToBottom(true);

    const controller = new AbortController();
    state.inFlight = controller;
    setBusy(true);
    const history = state.history.slice(-HISTORY_TURNS);
    let streamed = '';
    try {
      const response = await fetch('/api/ask/stream', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
        body: JSON.stringify({ question, history }),
        signal: controller.signal,
      });
      if (!response.ok) {
        renderError(card, await readError(response));
        item.dataset.state = 'error';
        return;
      }
      let final = null;
      for await (const { event, data } of readEvents(response)) {
        if (event === 'delta') {
          if (thinking.isConnected) thinking.remove();
          streamed += data.text;
          body.textContent = streamed;
          scrollToBottom(false);
        } else if (event === 'final') {
          final = data;
        } else if (event === 'error') {
          renderError(card, { ...data.error, status: 500 });
          item.dataset.state = 'error';
          return;
        }
      }
      if (!final) {
        renderError(card, { code: 'stream_ended', message: t('streamEnded'), status: 499 });
        item.dataset.state = 'error';
        return;
      }
      renderAnswer(card, body, final);
      item.dataset.state = final.refused ? 'refused' : 'final';
      state.history.push({ role: 'user', text: question }, { role: 'assistant', text: final.text });
      scrollToBottom(false);
    } catch {
      if (controller.signal.aborted) return;
      renderError(card, { code: 'network', message: t('networkError'), status: 499 });
      item.dataset.state = 'error';
    } finally {
      if (state.inFlight === controller) state.inFlight = null;
      setBusy(false);
    }
  }

  function matchIssuer(name) {
    const key = name.trim();
    return state.issuers.find((d) => d.short === key || d.full === key) || null;
  }

  function useSuggestion(suggestion) {
    const issuer = matchIssuer(suggestion);
    if (issuer) {
      showSummary(issuer.short, issuer.short);
      return;
    }
    ask(suggestion);
  }

  // ---------- summaries ----------

  function renderSummary(card, summary) {
    const byN = new Map(summary.citations.map((c) => [c.n, c]));
    const title = summary.document
      ? t(
          'summaryOf',
          `《${summary.document.title}》${summary.document.docNumber ? `（${summary.document.docNumber}）` : ''}`,
        )
      : summary.issuer
        ? t('summaryOf', summary.issuer.full || summary.issuer.short)
        : t('summaryAll');
    card.replaceChildren(el('h3', { className: 'summary-title', text: title }));
    for (const part of summary.issuers) {
      const section = el('section', { className: 'summary-dept' });
      if (!summary.issuer && !summary.document) {
        section.append(
          el('h4', { className: 'summary-dept-title', text: part.issuer.full || part.issuer.short }),
        );
      }
      if (part.partTitle && !part.document && part.partTitle !== part.issuer.full) {
        section.append(el('p', { className: 'summary-article', text: part.partTitle }));
      }
      for (const block of part.sections) {
        if (block.heading) section.append(el('p', { className: 'summary-heading', text: block.heading }));
        const list = el('ul', { className: 'summary-bullets' });
        for (const bullet of block.bullets) {
          const li = el('li', null, citedText(bullet.text, summary.citations));
          for (const n of bullet.citations) {
            const citation = byN.get(n);
            // Bullets carry citation numbers separately; add buttons unless the text already had them.
            if (citation && !li.querySelector(`.cite[data-n="${n}"]`)) li.append(' ', citeButton(citation));
          }
          list.append(li);
        }
        section.append(list);
      }
      card.append(section);
    }
    if (summary.issuers.length === 0) card.append(el('p', null, citedText(summary.text, summary.citations)));
    const sources = sourcesList(summary.citations, true);
    if (sources) card.append(sources);
  }

  /** `kind`: 'doc' for a document (by id), otherwise an issuer (or 'all'). */
  /** A view's JSON fetched into a bot card: an error card on a failed response or a network error. */
  async function fetchInto(item, card, request, render) {
    try {
      const response = await request();
      if (!response.ok) {
        renderError(card, await readError(response));
        item.dataset.state = 'error';
        return;
      }
      render(await response.json());
      item.dataset.state = 'final';
    } catch {
      renderError(card, { code: 'network', message: t('networkError'), status: 499 });
      item.dataset.state = 'error';
    }
  }

  async function showSummary(key, label, button, kind) {
    closeCitation();
    addUserMessage(key === 'all' ? t('summaryAll') : t('summaryOf', label));
    const { item, card } = addBotMessage();
    item.classList.add('msg-summary');
    item.dataset.state = 'loading';
    card.append(el('p', { className: 'thinking', 'aria-live': 'polite', text: t('loadingSummary') }));
    scrollToBottom(true);
    if (button) button.setAttribute('aria-busy', 'true');
    try {
      const language = `language=${encodeURIComponent(state.lang)}`;
      const url =
        kind === 'doc'
          ? `/api/summary?doc=${encodeURIComponent(key)}&${language}`
          : `/api/summary/${encodeURIComponent(key)}?${language}`;
      await fetchInto(
        item,
        card,
        () => fetch(url, { headers: { Accept: 'application/json' } }),
        (json) => renderSummary(card, json),
      );
    } finally {
      if (button) button.removeAttribute('aria-busy');
    }
    // Keep the summary's top in view: it is usually longer than the screen.
    item.scrollIntoView({ block: 'start' });
  }

  // ---------- key figures ----------

  const FIGURE_KEYS = ['year', 'status', 'issuer', 'subject', 'value', 'quote'];

  function figureCell(f, key) {
    if (key === 'status') return t('figureStatus')[f.status] || f.status;
    if (key === 'value') return f.valueText;
    return f[key] === null || f[key] === undefined ? '' : String(f[key]);
  }

  /** A sortable, filterable table of key figures; each row opens its quote highlighted in its paragraph. */
  function renderFigures(card, figures) {
    const view = { sort: null, dir: 1, text: '', status: '' };
    const filter = el('input', {
      type: 'search',
      className: 'figures-filter',
      placeholder: t('figuresFilter'),
    });
    filter.setAttribute('aria-label', t('figuresFilter'));
    const status = el('select', { className: 'figures-status' });
    status.setAttribute('aria-label', t('figuresColumns')[1]);
    for (const value of ['', 'target', 'result', 'unknown']) {
      status.append(el('option', { value, text: value ? t('figureStatus')[value] : t('figureAll') }));
    }
    const count = el('p', { className: 'figures-count', 'aria-live': 'polite' });
    const body = el('tbody');
    const headRow = el('tr');
    FIGURE_KEYS.forEach((key, i) => {
      const button = el('button', {
        type: 'button',
        className: 'figures-sort',
        text: t('figuresColumns')[i],
        dataset: { key },
        onClick: () => {
          view.dir = view.sort === key ? -view.dir : 1;
          view.sort = key;
          draw();
        },
      });
      headRow.append(el('th', { scope: 'col' }, button));
    });
    const table = el('table', { className: 'figures-table' }, el('thead', null, headRow), body);
    function draw() {
      const words = view.text.toLowerCase().split(/\s+/u).filter(Boolean);
      let rows = figures.filter(
        (f) =>
          (!view.status || f.status === view.status) &&
          words.every((w) =>
            [f.subject, f.quote, f.valueText, f.issuer || '', f.docTitle, String(f.year || '')]
              .join(' ')
              .toLowerCase()
              .includes(w),
          ),
      );
      if (view.sort) {
        const key = view.sort;
        const sortValue = (f) =>
          key === 'value'
            ? (f.value ?? Number.NEGATIVE_INFINITY)
            : key === 'year'
              ? (f.year ?? 0)
              : figureCell(f, key);
        rows = [...rows].sort((a, b) => {
          const x = sortValue(a);
          const y = sortValue(b);
          return (
            (typeof x === 'number' && typeof y === 'number'
              ? x - y
              : String(x).localeCompare(String(y), 'zh')) * view.dir
          );
        });
      }
      for (const th of headRow.querySelectorAll('th')) {
        const key = th.firstChild.dataset.key;
        th.setAttribute(
          'aria-sort',
          view.sort === key ? (view.dir > 0 ? 'ascending' : 'descending') : 'none',
        );
      }
      body.replaceChildren(
        ...rows.map((f, i) => {
          const source = el('button', {
            type: 'button',
            className: 'figure-source',
            text: f.quote,
            title: t('figureSource'),
            onClick: (event) =>
              openCitation(
                {
                  n: i + 1,
                  passageId: f.passageId,
                  quote: f.quote,
                  passage: f.quote,
                  start: f.start,
                  issuer: f.issuer,
                  title: f.partTitle,
                  docTitle: f.docTitle,
                  section: f.sectionPath[f.sectionPath.length - 1] || null,
                },
                event.currentTarget,
              ),
          });
          return el(
            'tr',
            { dataset: { figureId: f.id } },
            ...FIGURE_KEYS.slice(0, 5).map((key) => el('td', { text: figureCell(f, key) })),
            el('td', null, source),
          );
        }),
      );
      count.textContent = t('figuresCount', rows.length, figures.length);
    }
    filter.addEventListener('input', () => {
      view.text = filter.value;
      draw();
    });
    status.addEventListener('change', () => {
      view.status = status.value;
      draw();
    });
    card.append(
      el('div', { className: 'figures-controls' }, filter, status),
      count,
      el('div', { className: 'figures-scroll' }, table),
    );
    draw();
  }

  /** The key figures of the library, or of one document set (GET /api/figures?scope=), in a new card. */
  async function showFigures(button, scope) {
    closeCitation();
    addUserMessage(scope ? t('channelsFiguresOf', scope) : t('figures'));
    const { item, card } = addBotMessage();
    item.classList.add('msg-figures');
    item.dataset.state = 'loading';
    if (button) button.setAttribute('aria-busy', 'true');
    const url = scope ? `/api/figures?scope=${encodeURIComponent(scope)}` : '/api/figures';
    try {
      await fetchInto(
        item,
        card,
        () => fetch(url, { headers: { Accept: 'application/json' } }),
        (json) => renderFigures(card, json.figures),
      );
    } finally {
      if (button) button.removeAttribute('aria-busy');
    }
    item.scrollIntoView({ block: 'start' });
  }

  // ---------- document sets, subscriptions and digests ----------

  /** A plain table: a header row and one row of text cells per entry. */
  function simpleTable(className, columns, rows) {
    return el(
      'table',
      { className: `channels-table ${className}` },
      el('thead', null, el('tr', null, ...columns.map((c) => el('th', { scope: 'col', text: c })))),
      el(
        'tbody',
        null,
        ...rows.map((cells) =>
          el('tr', null, ...cells.map((c) => el('td', null, typeof c === 'string' ? c : c || ''))),
        ),
      ),
    );
  }

  function renderScopes(scopes) {
    const rows = scopes.sets.map((s) => {
      const docs = s.wholeLibrary
        ? t('channelsWhole', s.documents.length)
        : el('ul', { className: 'channels-docs' }, ...s.documents.map((d) => el('li', { text: d.title })));
      const name = el(
        'div',
        null,
        el('strong', { text: s.label ? `${s.label}（${s.name}）` : s.name }),
        s.description ? el('div', { className: 'channels-desc', text: s.description }) : null,
        el('button', {
          type: 'button',
          className: 'chip channels-figures',
          text: t('channelsFigures'),
          dataset: { scope: s.name },
          onClick: (event) => showFigures(event.currentTarget, s.name),
        }),
      );
      return [name, docs, s.slack.join(', '), s.wecom.join(', '), s.dm ? '✓' : ''];
    });
    return el(
      'section',
      { className: 'channels-sets' },
      el('h3', { text: t('channelsSets') }),
      el(
        'div',
        { className: 'figures-scroll' },
        simpleTable('channels-sets-table', t('channelsSetsColumns'), rows),
      ),
    );
  }

  function renderSubscriptions(subs) {
    const list = subs.subscriptions;
    const body =
      list.length === 0
        ? el('p', { className: 'channels-empty', text: t('channelsNoSubscriptions') })
        : el(
            'div',
            { className: 'figures-scroll' },
            simpleTable(
              'channels-subscriptions-table',
              t('channelsSubscriptionsColumns'),
              list.map((s) => [
                s.platform,
                s.conversation,
                s.filter || '*',
                s.scope,
                (s.createdAt || '').slice(0, 10),
              ]),
            ),
          );
    return el(
      'section',
      { className: 'channels-subscriptions' },
      el('h3', { text: t('channelsSubscriptions') }),
      body,
      el('p', { className: 'channels-note', text: t('channelsReadOnly') }),
    );
  }

  /** One planned digest message: where it goes, and the message itself as WeCom markdown or Slack text. */
  function digestMessage(d) {
    const preview = d.message.wecomMarkdown
      ? d.message.wecomMarkdown
      : (d.message.slack?.blocks || [])
          .map((b) => b.text?.text || (b.fields || []).map((f) => f.text).join('  ') || '')
          .filter(Boolean)
          .join('\n');
    return el(
      'li',
      { className: 'digest-message', dataset: { platform: d.subscription.platform } },
      el('p', {
        className: 'digest-to',
        text: `${d.subscription.platform} · ${d.subscription.conversation} · ${d.item.title}`,
      }),
      el('pre', { className: 'digest-preview', text: preview }),
    );
  }

  function renderDigestForm() {
    const since = el('input', {
      type: 'date',
      className: 'digest-since',
      value: new Date(Date.now() - 7 * 86400000).toISOString().slice(0, 10),
    });
    since.setAttribute('aria-label', t('channelsDigestSince'));
    const out = el('div', { className: 'digest-out', 'aria-live': 'polite' });
    const run = el('button', {
      type: 'submit',
      className: 'button-ghost digest-run',
      text: t('channelsDigestRun'),
    });
    const form = el(
      'form',
      { className: 'digest-form' },
      el('label', null, `${t('channelsDigestSince')} `, since),
      run,
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      run.setAttribute('aria-busy', 'true');
      try {
        const response = await fetch(`/api/digest?since=${encodeURIComponent(since.value)}`, {
          headers: { Accept: 'application/json' },
        });
        if (!response.ok) {
          renderError(out, await readError(response));
          return;
        }
        const json = await response.json();
        out.replaceChildren(
          el('p', {
            className: 'digest-count',
            text: t('channelsDigestCount', json.deliveries.length, json.documents.length),
          }),
          json.deliveries.length === 0
            ? el('p', { className: 'channels-empty', text: t('channelsDigestNone') })
            : el('ol', { className: 'digest-messages' }, ...json.deliveries.map(digestMessage)),
        );
      } catch {
        renderError(out, { code: 'network', message: t('networkError'), status: 499 });
      } finally {
        run.removeAttribute('aria-busy');
      }
    });
    return el(
      'section',
      { className: 'channels-digest' },
      el('h3', { text: t('channelsDigest') }),
      form,
      out,
    );
  }

  async function showChannels(button) {
    closeCitation();
    addUserMessage(t('channels'));
    const { item, card } = addBotMessage();
    item.classList.add('msg-channels');
    item.dataset.state = 'loading';
    if (button) button.setAttribute('aria-busy', 'true');
    const get = (url) => fetch(url, { headers: { Accept: 'application/json' } });
    try {
      await fetchInto(
        item,
        card,
        async () => {
          const [scopes, subs] = await Promise.all([get('/api/scopes'), get('/api/subscriptions')]);
          if (!scopes.ok) return scopes;
          if (!subs.ok) return subs;
          const both = { scopes: await scopes.json(), subscriptions: await subs.json() };
          return { ok: true, json: async () => both };
        },
        (json) =>
          card.replaceChildren(
            renderScopes(json.scopes),
            renderSubscriptions(json.subscriptions),
            renderDigestForm(),
          ),
      );
    } finally {
      if (button) button.removeAttribute('aria-busy');
    }
    item.scrollIntoView({ block: 'start' });
  }

  // ---------- comparisons ----------

  /** One table of a comparison's items (filterable by kind), each side's quote with its citation button. */
  function renderComparison(card, comparison) {
    card.replaceChildren(el('p', { className: 'compare-sides', text: comparison.text.split('\n')[0] }));
    if (comparison.notice) card.append(el('p', { className: 'answer-notice', text: comparison.notice }));
    if (comparison.mode === 'llm') {
      card.append(
        el(
          'p',
          { className: 'answer-text' },
          citedText(comparison.text.split('\n').slice(1).join('\n'), comparison.citations),
        ),
      );
    }
    const kinds = STRINGS[state.lang].compareKinds;
    const filter = el('select', { className: 'compare-filter', 'aria-label': t('compareTitle') });
    filter.append(el('option', { value: '', text: `${t('compareAll')} (${comparison.items.length})` }));
    for (const [kind, label] of Object.entries(kinds)) {
      const n = comparison.counts[kind] || 0;
      if (n > 0) filter.append(el('option', { value: kind, text: `${label} (${n})` }));
    }
    const head = el(
      'tr',
      null,
      el('th', { scope: 'col', text: '' }),
      el('th', { scope: 'col', text: t('compareBeforeCol') }),
      el('th', { scope: 'col', text: t('compareAfterCol') }),
      el('th', { scope: 'col', text: t('compareChangeCol') }),
    );
    const body = el('tbody');
    const side = (citation) =>
      citation
        ? el('td', null, citation.quote, ' ', citeButton(citation))
        : el('td', { className: 'compare-none', text: '—' });
    for (const item of comparison.items) {
      const moved = item.changes.filter((c) => c.direction !== 'same').map((c) => `${c.before} → ${c.after}`);
      body.append(
        el(
          'tr',
          { dataset: { kind: item.kind } },
          el('th', {
            scope: 'row',
            className: `compare-kind compare-${item.kind}`,
            text: kinds[item.kind] || item.kind,
          }),
          side(item.before),
          side(item.after),
          el('td', { text: moved.join('；') }),
        ),
      );
    }
    filter.addEventListener('change', () => {
      for (const row of body.children) row.hidden = filter.value !== '' && row.dataset.kind !== filter.value;
    });
    card.append(
      filter,
      el(
        'div',
        { className: 'compare-scroll' },
        el('table', { className: 'compare-table' }, el('thead', null, head), body),
      ),
    );
  }

  async function showComparison(before, after) {
    closeCitation();
    addUserMessage(t('compareAsked', before, after));
    const { item, card } = addBotMessage();
    item.classList.add('msg-summary');
    item.dataset.state = 'loading';
    card.append(el('p', { className: 'thinking', 'aria-live': 'polite', text: t('comparing') }));
    scrollToBottom(true);
    els.compareSend.setAttribute('aria-busy', 'true');
    try {
      await fetchInto(
        item,
        card,
        () =>
          fetch('/api/compare', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
            body: JSON.stringify({ before, after: after || null, language: state.lang }),
          }),
        (json) => renderComparison(card, json),
      );
    } finally {
      els.compareSend.removeAttribute('aria-busy');
    }
    item.scrollIntoView({ block: 'start' });
  }

  function renderIssuers() {
    els.issuers.replaceChildren();
    const all = { key: 'all', label: t('allIssuers'), title: t('summaryAll') };
    // One button per issuer (an issuer of several documents is listed by the engine once per document).
    const unique = [...new Map(state.issuers.map((d) => [d.short, d])).values()];
    const items = [all, ...unique.map((d) => ({ key: d.short, label: d.short, title: d.full }))];
    renderDocuments();
    if (state.issuers.length === 0) return;
    for (const entry of items) {
      els.issuers.append(
        chipItem({
          text: entry.label,
          title: entry.title,
          dataset: { issuer: entry.key },
          onClick: (event) => showSummary(entry.key, entry.label, event.currentTarget),
        }),
      );
    }
    els.issuers.append(
      chipItem({
        className: 'chip chip-figures',
        text: t('figures'),
        onClick: (event) => showFigures(event.currentTarget),
      }),
    );
    if (state.channels) {
      els.issuers.append(
        chipItem({
          className: 'chip chip-channels',
          text: t('channels'),
          onClick: (event) => showChannels(event.currentTarget),
        }),
      );
    }
  }

  /** One summary button per document: its 文号, or its title when it has none. */
  function renderDocuments() {
    if (!els.documents) return;
    els.documents.replaceChildren();
    for (const doc of state.documents) {
      const label = doc.docNumber || (doc.title.length > 16 ? `${doc.title.slice(0, 15)}…` : doc.title);
      els.documents.append(
        chipItem({
          text: label,
          title: doc.title,
          dataset: { doc: doc.id },
          onClick: (event) => showSummary(doc.id, label, event.currentTarget, 'doc'),
        }),
      );
    }
  }

  /** A list item holding one chip button (suggestions, examples, summary and figures buttons). */
  function chipItem(props) {
    return el('li', null, el('button', { type: 'button', className: 'chip', ...props }));
  }

  function renderExamples() {
    els.examples.replaceChildren();
    for (const example of state.examples[state.lang] || []) {
      els.examples.append(chipItem({ text: example, onClick: () => ask(example) }));
    }
  }

  function renderNotices() {
    els.notices.replaceChildren();
    const health = state.health;
    if (health === null) return;
    const notices = [];
    if (health === 'down' || health.status === 'unavailable') notices.push(t('unavailable'));
    else {
      if (health.embedder && health.embedder.mode === 'keyword-only') notices.push(t('keywordOnly'));
      if (health.llm && !health.llm.configured) notices.push(t('extractiveOnly'));
    }
    // One quiet line: these are facts about the deployment, not alarms.
    if (notices.length > 0) els.notices.append(el('p', { className: 'notice', text: notices.join(' ') }));
  }

  async function loadIssuers() {
    try {
      const response = await fetch('/api/issuers', { headers: { Accept: 'application/json' } });
      if (!response.ok) return;
      const body = await response.json();
      state.issuers = Array.isArray(body.issuers) ? body.issuers : [];
      // The channels view only where the server has it (a server without channel settings answers 404).
      const scopes = await fetch('/api/scopes', { headers: { Accept: 'application/json' } }).catch(
        () => null,
      );
      state.channels = scopes?.ok ? (await scopes.json()).configured === true : false;
      renderIssuers();
    } catch {
      // Without issuers the page still answers questions.
    }
  }

  async function loadLibrary() {
    const getJson = async (url) => {
      const response = await fetch(url, { headers: { Accept: 'application/json' } });
      return response.ok ? response.json() : null;
    };
    try {
      const [documents, zh, en] = await Promise.all([
        getJson('/api/documents'),
        getJson('/api/examples?language=zh'),
        getJson('/api/examples?language=en'),
      ]);
      state.documents = documents && Array.isArray(documents.documents) ? documents.documents : [];
      state.examples = {
        zh: zh && Array.isArray(zh.examples) ? zh.examples : [],
        en: en && Array.isArray(en.examples) ? en.examples : [],
      };
      renderDocuments();
      renderExamples();
    } catch {
      // Without them the page still answers questions.
    }
  }

  async function loadHealth() {
    try {
      const response = await fetch('/healthz', { headers: { Accept: 'application/json' } });
      state.health = await response.json();
    } catch {
      state.health = 'down';
    }
    renderNotices();
  }

  // ---------- composer ----------

  function resizeQuestion() {
    els.question.style.height = 'auto';
    els.question.style.height = `${Math.min(els.question.scrollHeight, 192)}px`;
  }

  function submitQuestion() {
    const text = els.question.value;
    if (!text.trim() || state.inFlight) return;
    els.question.value = '';
    resizeQuestion();
    // Keep typing position for the follow-up, also when the question was sent with the button.
    els.question.focus();
    ask(text);
  }

  function newConversation() {
    if (state.inFlight) state.inFlight.abort();
    state.inFlight = null;
    setBusy(false);
    closeCitation();
    state.history = [];
    els.messages.replaceChildren();
    els.welcome.hidden = false;
    els.question.value = '';
    resizeQuestion();
    window.scrollTo(0, 0);
    els.question.focus();
  }

  els.form.addEventListener('submit', (event) => {
    event.preventDefault();
    submitQuestion();
  });
  els.question.addEventListener('keydown', (event) => {
    // Enter sends; Shift+Enter is a newline; never send while an IME is composing (pinyin input).
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      submitQuestion();
    }
  });
  els.question.addEventListener('input', resizeQuestion);
  els.newConversation.addEventListener('click', newConversation);
  els.compareForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const before = els.compareBefore.value.trim();
    if (before) showComparison(before, els.compareAfter.value.trim());
  });
  els.panelClose.addEventListener('click', closeCitation);
  els.langToggle.addEventListener('click', () => {
    state.lang = state.lang === 'zh' ? 'en' : 'zh';
    try {
      localStorage.setItem('policybot.lang', state.lang);
    } catch {
      // Not persisted; the toggle still works for this page.
    }
    applyLanguage();
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !els.panel.hidden) {
      event.preventDefault();
      closeCitation();
    }
  });
  window.addEventListener('pagehide', () => {
    if (state.inFlight) state.inFlight.abort();
  });

  /** `/?q=…` (the link in a WeCom digest): ask that question once, then drop it from the address. */
  function askFromAddress() {
    const params = new URLSearchParams(window.location.search);
    const q = (params.get('q') || '').trim();
    if (!q) return;
    params.delete('q');
    const rest = params.toString();
    window.history.replaceState(null, '', `${window.location.pathname}${rest ? `?${rest}` : ''}`);
    ask(q);
  }

  applyLanguage();
  loadIssuers();
  loadLibrary();
  loadHealth();
  askFromAddress();
})();
