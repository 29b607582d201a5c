import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { verifyAuditChain } from '../../../libs/persistence';
import type { Page } from '../common/pagination.dto';
import { readModelPage, SqlFilter } from '../common/read-model-page';
import { fieldError } from '../common/validation';
import { AuditChainView, AuditEventView, AuditTrailQueryDto } from './audit-trail.dto';

interface AuditEventRow {
  seq: string;
  stream_id: string;
  event: string;
  actor_id: string | null;
  occurred_at: Date;
  detail: Record<string, unknown>;
  prev_hash: string;
  hash: string;
  chain: 'global' | 'stream';
  stream_seq: string | null;
}

/** Reads the audit trail (libs/persistence/audit-trail.ts is its one writer). */
@Injectable()
export class AuditTrailService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  list(q: AuditTrailQueryDto): Promise<Page<AuditEventView>> {
    if (q.from && q.to && Date.parse(q.to) < Date.parse(q.from)) throw fieldError('to', 'to must not be before from');
    const filter = new SqlFilter()
      .eq('stream_id', q.stream)
      // A subject's id is a segment of its own stream id and of the ids of work about it.
      .matches((p) => `(strpos(stream_id, ${p}) > 0 OR detail->>'systemId' = ${p})`, q.subject?.toLowerCase())
      .eq('actor_id', q.actor?.toLowerCase())
      .compare('occurred_at', '>=', q.from)
      .compare('occurred_at', '<', q.to);
    return readModelPage(
      this.db,
      {
        select: 'seq, stream_id, chain, stream_seq, event, actor_id, occurred_at, detail, prev_hash, hash',
        from: 'audit_events',
        filter,
        orderBy: 'seq',
      },
      q,
      toView,
    );
  }

  async verify(): Promise<AuditChainView> {
    const report = await verifyAuditChain(this.db);
    return { intact: !report.firstBroken, ...report, verifiedAt: new Date().toISOString() };
  }
}

function toView(r: AuditEventRow): AuditEventView {
  return {
    seq: String(r.seq),
    streamId: r.stream_id,
    chain: r.chain,
    streamSeq: r.stream_seq === null ? null : Number(r.stream_seq),
    event: r.event,
    actorId: r.actor_id,
    occurredAt: new Date(r.occurred_at).toISOString(),
    detail: r.detail,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
