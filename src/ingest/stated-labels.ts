import type { StatedMetadata } from './types.js';

/**
 * Labels Chinese government sites and document front blocks use for a document's metadata: gov.cn's table
 * (索引号, 发文机关, 成文日期, 标题, 发文字号, 发布日期), provincial portals (名称, 发布机构, 文号, 生成日期),
 * Markdown copies (`> **发布机构**：…`). Labels are often padded (`标　　题`, `索 引 号`): whitespace is
 * ignored. One table for every loader, so an HTML table, a DOCX table and a Markdown block mean the same.
 */
const LABELS: Record<string, keyof StatedMetadata> = {
  标题: 'title',
  名称: 'title',
  文件名称: 'title',
  题名: 'title',
  发文机关: 'issuers',
  发文机构: 'issuers',
  发文单位: 'issuers',
  发布机构: 'issuers',
  发布单位: 'issuers',
  制发机关: 'issuers',
  成文单位: 'issuers',
  发文字号: 'docNumber',
  文号: 'docNumber',
  发文号: 'docNumber',
  文件编号: 'docNumber',
  成文日期: 'date',
  成文时间: 'date',
  生成日期: 'date',
  印发日期: 'date',
  签发日期: 'date',
  发文日期: 'date',
  发布日期: 'publishedDate',
  时间: 'publishedDate',
  日期: 'publishedDate',
  发布时间: 'publishedDate',
  公开日期: 'publishedDate',
  公布日期: 'publishedDate',
  来源: 'source',
  信息来源: 'source',
  文章来源: 'source',
  原文链接: 'source',
  原文地址: 'source',
  链接: 'source',
  文种: 'kind',
  公文种类: 'kind',
  地区: 'region',
  区域: 'region',
  tags: 'tags',
  title: 'title',
  issuer: 'issuers',
  issuers: 'issuers',
  docnumber: 'docNumber',
  date: 'date',
  published: 'publishedDate',
  publisheddate: 'publishedDate',
  source: 'source',
  region: 'region',
  kind: 'kind',
};

/** Labels of metadata tables that say nothing policybot uses; their lines are table, not text. */
const IGNORED = new Set([
  '索引号',
  '主题分类',
  '主题词',
  '主题',
  '分类',
  '体裁分类',
  '组配分类',
  '服务对象',
  '有效性',
  '效力状态',
  '实施日期',
  '施行日期',
  '废止日期',
  '失效日期',
  '文件状态',
  '统一编号',
  '登记号',
  '公开方式',
  '公开范围',
  '信息类别',
  '所属机构',
  '备注',
  '关键词',
]);

const labelKey = (label: string) =>
  label
    .replace(/[\s\u3000*_:：【】[\]]/gu, '')
    .toLowerCase()
    .trim();

/** The metadata field a label names ("发文字号：", "标　　题", "**发布机构**"), or null. */
export function statedField(label: string): keyof StatedMetadata | null {
  const key = labelKey(label);
  return Object.hasOwn(LABELS, key) ? (LABELS[key] ?? null) : null;
}

/** True for any label of a metadata table, including those whose value policybot ignores (索引号, 主题分类). */
export function isMetadataLabel(label: string): boolean {
  const key = labelKey(label);
  return Object.hasOwn(LABELS, key) || IGNORED.has(key);
}

/** Splits "国家发展改革委 国家能源局" / "中共中央、国务院" into issuers. */
export function splitIssuers(value: string): string[] {
  return value
    .split(/[、，,；;\s\u3000]+/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Records one labelled value; empty values and a label seen before are ignored (the first statement wins,
 * which is the metadata table above the text rather than a related-article list further down).
 */
export function addStated(stated: StatedMetadata, label: string, rawValue: string): boolean {
  const field = statedField(label);
  const value = rawValue.replace(/[\s\u3000]+/gu, ' ').trim();
  if (!field || !value) return false;
  if (field === 'issuers' || field === 'tags') {
    if (stated[field]) return false;
    stated[field] = splitIssuers(value);
    return true;
  }
  if (stated[field] !== undefined) return false;
  stated[field] = value;
  return true;
}
