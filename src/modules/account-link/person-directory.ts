import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Person lookups other modules may make (the people table stays account-link's). */
@Injectable()
export class PersonDirectory {
  constructor(private readonly dataSource: DataSource) {}

  /** The person ids of those provider `sub` values that have linked at least once (unknown ones are skipped). */
  async personIdsBySubjects(subjects: string[]): Promise<string[]> {
    if (subjects.length === 0) return [];
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM people WHERE subject = ANY($1::text[])`,
      [subjects],
    );
    return rows.map((r) => r.id);
  }
}
