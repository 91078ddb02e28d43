export { invalid, notFound, conflict, type FieldProblem } from './field-error';
