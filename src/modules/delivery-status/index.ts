/** The public face of delivery status management. */
export { DeliveryStatusModule } from './delivery-status.module.js';
export { ExportService } from './export/export.service.js';
