import { describe, expect, it } from 'vitest';
import { derivedEventTime } from '@/server/ingest/event-time';

const t = (s: string) => new Date(`2025-11-24T${s}Z`);

describe('derivedEventTime: received − (sent − occurred)', () => {
  it.each([
    ['device in sync', t('10:00:05'), t('10:00:00'), t('10:00:05'), t('10:00:00')],
    ['device an hour fast', t('10:00:05'), t('11:00:00'), t('11:00:05'), t('10:00:00')],
    ['device a day slow, queued 10 min', t('10:30:00'), new Date('2025-11-23T10:00:00Z'), new Date('2025-11-23T10:10:00Z'), t('10:20:00')],
    ['no sent_at: received', t('10:00:00'), t('09:00:00'), null, t('10:00:00')],
    ['no occurred_at: received', t('10:00:00'), null, t('09:00:00'), t('10:00:00')],
    ['occurred after sent: never later than received', t('10:00:00'), t('10:05:00'), t('10:00:00'), t('10:00:00')],
  ])('%s', (_what, received, occurred, sent, expected) => {
    expect(derivedEventTime(received, occurred, sent).toISOString()).toBe(expected.toISOString());
  });
});
