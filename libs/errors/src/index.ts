export { invalid, notFound, conflict, gone, unavailable } from './field-error';
export { DomainError, InvalidInput, type DomainErrorCode, type FieldProblem } from './domain-error';
export { CALENDAR_DATE_MESSAGE, isCalendarDate, UUID_PATTERN } from './checks';
