import type { NotificationKind } from '../../libs/contracts';

/** Every NotificationKind (the compiler checks the list is complete). */
const ALL: Record<NotificationKind, true> = {
  opened: true,
  remind: true,
  escalate: true,
  breach: true,
  rejected: true,
  approved: true,
  reassigned: true,
  cancelled: true,
  'prohibited-system': true,
  'incident-opened': true,
};
export const NOTIFICATION_KINDS_FOR_TEST = Object.keys(ALL) as NotificationKind[];
