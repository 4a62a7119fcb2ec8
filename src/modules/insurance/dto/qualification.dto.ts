import { ApiProperty } from '@nestjs/swagger';

/** 保険証資格情報, mapped from the オンライン資格確認-style record of the Mynaportal backend. */
export class QualificationDto {
  @ApiProperty({ description: '保険者番号', example: '01130012' })
  insurerNumber!: string;

  @ApiProperty({ description: '保険者名称', example: '全国健康保険協会 東京支部' })
  insurerName!: string;

  @ApiProperty({ description: '被保険者証記号', example: '4010' })
  symbol!: string;

  @ApiProperty({ description: '被保険者証番号', example: '123456' })
  number!: string;

  @ApiProperty({ description: '被保険者証枝番 (empty when the insurer issues none)', example: '00' })
  branch!: string;

  @ApiProperty({ enum: ['self', 'family'], description: '本人 (self) or 家族 (family)' })
  relationship!: 'self' | 'family';

  @ApiProperty({ format: 'date', description: '資格取得年月日', example: '2008-04-01' })
  qualifiedSince!: string;

  @ApiProperty({ format: 'date', description: '有効開始年月日', example: '2024-04-01' })
  validFrom!: string;

  @ApiProperty({ type: String, format: 'date', nullable: true, description: '有効終了年月日' })
  validUntil!: string | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: '一部負担金割合 as a fraction (0.3 = 3割)',
    example: 0.3,
  })
  copaymentRatio!: number | null;

  @ApiProperty({
    enum: ['valid', 'invalid'],
    description:
      'valid when the backend marks it valid and today (Asia/Tokyo) is within validFrom..validUntil',
  })
  status!: 'valid' | 'invalid';

  @ApiProperty({ format: 'date-time', description: 'When the BFF fetched this record' })
  checkedAt!: string;
}
