import type { IndicatorValue } from '../../../../src/modules/indicators/indicators.schema';

/** The indicators API's shapes: the server's schema (src/modules/indicators/indicators.schema.ts), never redeclared. */
export type {
  BreakdownItem,
  BreakdownReply,
  DefinitionItem,
  DefinitionsReply,
  IndicatorFlag,
  IndicatorTarget,
  IndicatorValue,
  MemberItem,
  MembersReply,
  RefreshBody,
  RefreshReply,
  RegionRef,
  ReportReply,
  ReportRow,
  SeriesPoint,
  SeriesReply,
  UnsupportedRow,
  ValuesReply,
} from '../../../../src/modules/indicators/indicators.schema';
export type { ShapeFeature, ShapesBody, ShapesReply, ShapesUploadReply } from '../../../../src/modules/regions/shapes.schema';

export type IndicatorStatusName = IndicatorValue['status'];
export type IndicatorUnitName = IndicatorValue['unit'];
