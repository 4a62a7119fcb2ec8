import { ApiProperty } from '@nestjs/swagger';

export class TodoDto {
  @ApiProperty({ example: 'todo-3f2a9c1b7e-00001' })
  id!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2026-12-25' })
  dueDate!: string | null;

  @ApiProperty({ enum: ['open', 'done'] })
  status!: 'open' | 'done';

  @ApiProperty({ example: 'デジタル庁' })
  sender!: string;

  @ApiProperty({ type: String, format: 'uri', nullable: true })
  url!: string | null;
}

export class TodoPageDto {
  @ApiProperty({ type: [TodoDto] })
  items!: TodoDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last',
  })
  nextCursor!: string | null;
}
