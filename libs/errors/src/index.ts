export {
  invalid,
  fieldProblemsOf,
  notFound,
  conflict,
  gone,
  unavailable,
  type FieldProblem,
} from './field-error';
