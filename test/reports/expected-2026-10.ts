/**
 * Hand-computed answers for test/fixtures/reports-month-2026-10.ts (demo bot, as of 2026-11-01 09:00).
 * Minutes per ticket (response / on-site / resolve; business clock where the policy says so, pauses excluded):
 *  #1 L1 holiday  20 / 105 / 300          #2 L2 work  90✗ / – / 360(b)         #3 L2 off  30 / – / 120(b: 13h − 11h paused, 10-10 is a working Saturday)
 *  #4 L3 work     40 / 480(b) / 1410      #5 L3 work  10 / – / 3000 (reopened) #6 L2 work 20 / – / 1860(b)✗ (due 10-21 09:00)
 *  #8 L4→L3 work  60 / – / 420            #9 L4 off  1380 / – / 2940           #10 L3 work 30 / – / 2580
 *  #11 L1 work    10 / 90✗ / 180          #13 L2 off 180✗ / 50 (dispatched in work time) / 180(b)
 *  #14 L1 work    25 / – / 80             #15 L2 work 30 / – / pending (paused) #16 L3 off ✗ unclaimed / – / pending
 *  #7 cancelled and #12 merged into #11 are not counted.
 * Aggregate (levels 2–4, wall time minus pauses): resolved ≤24 h: #2 #3 #4 #8 #13 of 9 decided = 0.5556;
 * ≤72 h: all but #6 = 8/9 = 0.8889 (#15 and #16 are still within 24 h, so undecided).
 */
const stat = (met: number, breached: number, pending: number, metRate: number | null, medianMin: number | null, p90Min: number | null) => ({
  met,
  breached,
  pending,
  metRate,
  medianMin,
  p90Min,
});
const none = stat(0, 0, 0, null, null, null);
const emptyPeriod = { tickets: 0, response: none, onsite: none, resolve: none };

export const EXPECTED_SLA = {
  bot: 'demo',
  month: '2026-10',
  calendarUncertain: false,
  totals: {
    tickets: 14,
    resolved: 12,
    closed: 12,
    open: 2,
    breaches: 5,
    confirmationRate: 0.75,
    satisfaction: 4,
    confirmed: 9,
    autoClosed: 3,
    reopened: 1,
    ratings: 8,
    cancelled: 1,
    merged: 1,
    withdrawn: 0,
    referred: 0,
  },
  byLevel: [
    {
      level: 1,
      tickets: 3,
      response: stat(3, 0, 0, 1, 20, 25),
      onsite: stat(1, 1, 0, 0.5, 97.5, 105),
      resolve: stat(3, 0, 0, 1, 180, 300),
      byPeriod: {
        work: { tickets: 2, response: stat(2, 0, 0, 1, 17.5, 25), onsite: stat(0, 1, 0, 0, 90, 90), resolve: stat(2, 0, 0, 1, 130, 180) },
        off: emptyPeriod,
        holiday: {
          tickets: 1,
          response: stat(1, 0, 0, 1, 20, 20),
          onsite: stat(1, 0, 0, 1, 105, 105),
          resolve: stat(1, 0, 0, 1, 300, 300),
        },
      },
    },
    {
      level: 2,
      tickets: 5,
      response: stat(3, 2, 0, 0.6, 30, 180),
      onsite: stat(1, 0, 0, 1, 50, 50),
      resolve: stat(3, 1, 1, 0.75, 270, 1860),
      byPeriod: {
        work: {
          tickets: 3,
          response: stat(2, 1, 0, 0.6667, 30, 90),
          onsite: stat(1, 0, 0, 1, 50, 50),
          resolve: stat(1, 1, 1, 0.5, 1110, 1860),
        },
        off: { tickets: 2, response: stat(1, 1, 0, 0.5, 105, 180), onsite: none, resolve: stat(2, 0, 0, 1, 150, 180) },
        holiday: emptyPeriod,
      },
    },
    {
      level: 3,
      tickets: 5,
      response: stat(4, 1, 0, 0.8, 35, 60),
      onsite: stat(1, 0, 0, 1, 480, 480),
      resolve: stat(4, 0, 1, 1, 1995, 3000),
      byPeriod: {
        work: { tickets: 4, response: stat(4, 0, 0, 1, 35, 60), onsite: stat(1, 0, 0, 1, 480, 480), resolve: stat(4, 0, 0, 1, 1995, 3000) },
        off: { tickets: 1, response: stat(0, 1, 0, 0, null, null), onsite: none, resolve: stat(0, 0, 1, null, null, null) },
        holiday: emptyPeriod,
      },
    },
    {
      level: 4,
      tickets: 1,
      response: stat(1, 0, 0, 1, 1380, 1380),
      onsite: none,
      resolve: stat(1, 0, 0, 1, 2940, 2940),
      byPeriod: {
        work: emptyPeriod,
        off: { tickets: 1, response: stat(1, 0, 0, 1, 1380, 1380), onsite: none, resolve: stat(1, 0, 0, 1, 2940, 2940) },
        holiday: emptyPeriod,
      },
    },
  ],
  aggregate: {
    levels: [2, 3, 4],
    within24h: { rate: 0.5556, target: 0.8, pass: false, tickets: 9, within: 5 },
    within72h: { rate: 0.8889, target: 1, pass: false, tickets: 9, within: 8 },
  },
  breaches: [
    {
      no: 2,
      target: 'response',
      dueAt: '2026-10-08T10:00:00+08:00',
      breachedAt: '2026-10-08T10:00:00+08:00',
      reason: '响应用时 1 小时 30 分钟，时限 1 小时',
      level: 2,
      system: 'lis',
      stoppedAt: '2026-10-08T10:30:00+08:00',
    },
    {
      no: 6,
      target: 'resolve',
      dueAt: '2026-10-21T09:00:00+08:00',
      breachedAt: '2026-10-21T09:00:00+08:00',
      reason: '解决用时 31 小时，时限 20 小时（按工作时间计）',
      level: 2,
      system: 'emr',
      stoppedAt: '2026-10-22T10:00:00+08:00',
    },
    {
      no: 11,
      target: 'onsite',
      dueAt: '2026-10-27T11:15:00+08:00',
      breachedAt: '2026-10-27T11:15:00+08:00',
      reason: '到场用时 1 小时 30 分钟，时限 1 小时',
      level: 1,
      system: 'lis',
      stoppedAt: '2026-10-27T11:45:00+08:00',
    },
    {
      no: 13,
      target: 'response',
      dueAt: '2026-10-28T07:00:00+08:00',
      breachedAt: '2026-10-28T07:00:00+08:00',
      reason: '响应用时 3 小时，时限 1 小时',
      level: 2,
      system: 'lis',
      stoppedAt: '2026-10-28T09:00:00+08:00',
    },
    {
      no: 16,
      target: 'response',
      dueAt: '2026-11-01T02:00:00+08:00',
      breachedAt: '2026-11-01T02:00:00+08:00',
      reason: '截至统计时仍未接单，时限 3 小时',
      level: 3,
      system: 'his',
      stoppedAt: null,
    },
  ],
  bySystem: { his: 5, lis: 3, ecg: 1, emr: 1, integration: 1, nursing: 1, other: 1, pacs: 1 },
  byDepartment: {
    检验科: 3,
    门诊部: 2,
    急诊科: 1,
    放射科: 1,
    护理部: 1,
    医务科: 1,
    信息科: 1,
    财务科: 1,
    心内科: 1,
    住院部: 1,
    药剂科: 1,
  },
  asOf: '2026-11-01T09:00:00+08:00',
};
