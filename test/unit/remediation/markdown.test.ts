import { strict as assert } from 'node:assert';
import type { Plan } from '../../../src/model/plan';
import { buildPlan, fencedBlock, markdownText, renderCommandLine, renderMarkdown } from '../../../src/remediation';
import { DEFAULT_SG, finding, inventory, openToWorld } from './fixtures';

describe('Markdown rendering', () => {
  it('has the title, summary, remediation steps, then backout and warnings, each command in a bash block', () => {
    const plan = buildPlan({ finding: finding('AURSG-001', { rule: openToWorld }), inventory: inventory(), fix: 'restrict', allow: ['10.30.0.0/16'] });
    const md = renderMarkdown(plan);
    const headings = md.split('\n').filter((l) => l.startsWith('#'));
    assert.deepEqual(headings, [`# ${markdownText(plan.title)}`, '## Remediation', '## Backout', '## Warnings']);
    const remediation = md.slice(md.indexOf('## Remediation'), md.indexOf('## Backout'));
    const backout = md.slice(md.indexOf('## Backout'), md.indexOf('## Warnings'));
    plan.steps.forEach((step, i) => {
      assert.ok(remediation.includes(`**Step ${i + 1}.** ${markdownText(step.explanation)}`));
      assert.ok(remediation.includes(`\`\`\`bash\n${renderCommandLine(step.cli, 'bash')}\n\`\`\``));
    });
    plan.backout.forEach((step) => assert.ok(backout.includes(renderCommandLine(step.cli, 'bash'))));
    assert.ok(remediation.indexOf('authorize-security-group-ingress') < remediation.indexOf('revoke-security-group-ingress'));
    assert.ok(md.includes(markdownText(plan.summary)));
  });

  it('shows the capture of the new group id, and how a new shell finds it for the backout', () => {
    const plan = buildPlan({ finding: finding('AURSG-007', { groupId: DEFAULT_SG }), inventory: inventory(), fix: 'dedicated-sg' });
    const md = renderMarkdown(plan);
    assert.match(md, /```bash\nNEW_GROUP_ID="\$\(aws ec2 create-security-group .* --query 'GroupId' --output text\)"\n```/);
    const backout = md.slice(md.indexOf('## Backout'));
    assert.match(backout, /set `NEW_GROUP_ID` first/);
    assert.match(backout, /NEW_GROUP_ID="\$\(aws ec2 describe-security-groups --filters .*group-name/);
  });

  it('keeps hostile text from becoming markup or closing a code fence', () => {
    const evil = 'x ``` </pre><script>alert(1)</script> [link](http://evil) *bold* # heading\n# not a heading';
    const plan: Plan = {
      fix: 'revoke', findingId: 'f`1', title: evil, summary: evil, target: {}, warnings: [evil],
      steps: [{ explanation: evil, service: 'ec2', cli: ['aws', 'ec2', 'x', '--description', `a\n\`\`\`\`\nb`], sdkCommand: 'X', sdkInput: {}, mutating: true, preconditions: [] }],
      backout: [],
    };
    const md = renderMarkdown(plan);
    assert.ok(!md.includes('<script>'));
    assert.ok(!md.includes('[link]('));
    assert.ok(!/^# not a heading/m.test(md));
    assert.ok(md.includes(`\`\`\`\`\`bash\n${renderCommandLine(plan.steps[0].cli, 'bash')}\n\`\`\`\`\``));
    assert.equal(fencedBlock('plain', 'bash'), '```bash\nplain\n```');
    assert.match(md, /## Backout\n\nUndoes the remediation, in this order\.\n\nNothing to do\./);
  });
});
