import { describe, expect, it } from '@jest/globals';
import { renderTemplate, templateRefs } from '../../src/rules/template.js';

describe('renderTemplate', () => {
  it('fills every placeholder, with its filter, from the scope it is given', () => {
    const template =
      'account {{accountId}} joined {{account.joinedTimestamp|date}}, {{daysSinceJoined|fixed1}} days ago ({{account.joinedMethod|lower}})';
    expect(
      renderTemplate(template, {
        accountId: '222222222222',
        account: { joinedTimestamp: '2024-03-04T05:06:07Z', joinedMethod: 'CREATED' },
        daysSinceJoined: 12.345,
      }),
    ).toBe('account 222222222222 joined 2024-03-04, 12.3 days ago (created)');
    // The same template again (parsed once) renders the second scope, not the first.
    expect(
      renderTemplate(template, {
        accountId: '333333333333',
        account: { joinedTimestamp: '2020-01-02T00:00:00Z', joinedMethod: 'INVITED' },
        daysSinceJoined: 2,
      }),
    ).toBe('account 333333333333 joined 2020-01-02, 2.0 days ago (invited)');
  });

  it('renders adjacent placeholders, lists, counts, missing values and text without placeholders', () => {
    const scope = { a: 'x', b: ['p', 'q'], n: null };
    expect(renderTemplate('{{a}}{{a}}-{{b|join}}/{{b|count}}', scope)).toBe('xx-p, q/2');
    expect(renderTemplate('{{missing.deep}} and {{n}}', scope)).toBe('? and none');
    expect(renderTemplate('no placeholders at all', scope)).toBe('no placeholders at all');
    expect(renderTemplate('', scope)).toBe('');
  });

  it('takes values as text: replacement patterns and line breaks in a value do nothing', () => {
    expect(renderTemplate('[{{v}}]', { v: "$& $1 $$ $` $'" })).toBe("[$& $1 $$ $` $']");
    expect(renderTemplate('{{v}}!', { v: 'one\r\ntwo\u2028three' })).toBe('one two three!');
    // A value that looks like a placeholder is not rendered again.
    expect(renderTemplate('{{v}}', { v: '{{w}}', w: 'no' })).toBe('{{w}}');
  });

  it('lists its placeholders for the load-time checks', () => {
    expect(templateRefs('{{ a.b | date }} and {{c}}')).toEqual([
      { path: 'a.b', filter: 'date' },
      { path: 'c', filter: undefined },
    ]);
  });
});
