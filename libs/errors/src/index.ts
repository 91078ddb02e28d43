export { invalid, notFound, conflict, gone, unavailable, type FieldProblem } from './field-error';
