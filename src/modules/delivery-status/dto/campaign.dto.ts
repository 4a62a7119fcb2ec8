import { ApiProperty } from '@nestjs/swagger';

const STATUSES = ['scheduled', 'queued', 'sending', 'completed', 'failed', 'cancelled'];

/** The Campaign of API.md (Operators). */
export class CampaignDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() notificationId!: string;
  @ApiProperty({ nullable: true, type: String }) noticeId!: string | null;
  @ApiProperty({ nullable: true, type: String }) todoId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'sender kind; groups the statistics' })
  category!: string | null;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) completedAt!: string | null;
  @ApiProperty() targeted!: number;
  @ApiProperty() sent!: number;
  @ApiProperty() failed!: number;
  @ApiProperty() invalidTokens!: number;
  @ApiProperty() cancelledTokens!: number;
  @ApiProperty() received!: number;
  @ApiProperty() opened!: number;
  @ApiProperty({ description: 'opened / sent; 0 when nothing was sent' }) openRate!: number;
}

export class CampaignPageDto {
  @ApiProperty({ type: [CampaignDto] }) items!: CampaignDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
