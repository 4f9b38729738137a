import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type QuestionKind, questionShape } from '../../src/answer/question-shape.js';

const cases: Array<[string, QuestionKind]> = [
  // Lists: 哪些, 哪几, 包括什么, 有何, 分别/各自, "what are", "which … are", "list".
  ['省级政府在生态保护方面承担哪些职责？', 'list'],
  ['该办法包括什么内容？', 'list'],
  ['各试点城市分别承担什么任务？', 'list'],
  ['What are the main measures for rural roads?', 'list'],
  ['List the duties of the county bureau.', 'list'],
  ['Which documents are required for the subsidy?', 'condition'],
  // Procedures: 流程, 步骤, 阶段, 一步步; "steps", "how is … organised".
  ['企业申请补贴的办理流程是怎样的？', 'procedure'],
  ['验收分哪几个阶段？', 'procedure'],
  ['What are the steps to register a cooperative?', 'procedure'],
  // "according to the number of …" names what the method depends on: it asks for the method, not a figure.
  ['How is the purchasing method chosen according to the number of bidders?', 'procedure'],
  ['What is the number of bidders needed?', 'number'],
  // Conditions: 条件, 准入, 情形; "requirements", "in which situations".
  ['外资企业能不能参与投标，需要满足什么条件？', 'condition'],
  ['哪些情形下可以免于处罚？', 'condition'],
  ['What are the eligibility requirements for the loan?', 'condition'],
  // Comparisons across named scopes.
  ['江苏和广东今年的就业目标分别是多少？', 'comparison'],
  ['2018年和2020年两份通知各自提出了哪些要求？', 'comparison'],
  ['Compare the targets of the two provinces.', 'comparison'],
  // Facts, figures and times (issue 11) stay what they were.
  ['补贴标准是每亩多少元？', 'number'],
  ['How many pilot cities are there?', 'number'],
  ['条例自什么时候起施行？', 'time'],
  ['现场核查阶段要在几月几日前完成？', 'time'],
  ['由哪个部门负责牵头？', 'fact'],
  ['Who chairs the working group?', 'fact'],
  ['Which Saturday was a working day?', 'time'],
  ['What is the maximum fine for an agency that breaks the rules?', 'number'],
  ['How is the method chosen according to the number of bidders?', 'procedure'],
  ['What is the number of pilot cities?', 'number'],
  ['上级会不会给村里定个硬指标，每年必须挣多少？', 'fact'],
];

describe('questionShape', () => {
  for (const [question, kind] of cases) {
    it(`${question} → ${kind}`, () => {
      assert.equal(questionShape(question).kind, kind);
    });
  }

  it('says what a unit must hold: a figure, a time, or nothing for yes/no questions', () => {
    assert.equal(questionShape('罚款是违法所得的几倍？').need, 'figure');
    assert.equal(questionShape('各类问题分别要在什么时候前完成？').need, 'time');
    assert.equal(questionShape('能不能办成营利性的？').need, null);
    assert.equal(questionShape('Is the fee refundable?').need, null);
  });

  it('asks a sum of money of money words, a plain figure of their shares and multiples', () => {
    assert.equal(questionShape('How much is the monthly childcare subsidy per child?').need, 'amount');
    assert.equal(
      questionShape('What is the maximum fine for an agency that breaks the rules?').need,
      'amount',
    );
    assert.equal(questionShape('育儿补贴每月发多少？').need, 'amount');
    assert.equal(questionShape('医保基金要按采购金额的多少比例提前预付？').need, 'figure');
    assert.equal(questionShape('罚款是违法所得的几倍？').need, 'figure');
    assert.equal(questionShape('How many pilot cities are there?').need, 'figure');
  });

  it('wants items for lists, procedures, conditions and comparisons only', () => {
    assert.equal(questionShape('有哪些支持政策？').wantsItems, true);
    assert.equal(questionShape('由谁签发？').wantsItems, false);
    assert.equal(questionShape('增速目标是多少？').wantsItems, false);
  });

  it('marks questions over several named regions or years as multi, single ones not', () => {
    assert.equal(questionShape('浙江和四川分别定了什么目标？').multi, true);
    assert.equal(questionShape('请结合国家通知和省里的方案回答，有哪些安排？').multi, true);
    assert.equal(questionShape('浙江定了哪些目标？').multi, false);
    assert.equal(questionShape('给各地区和区域市场定了哪些时间节点？').multi, false);
  });
});
