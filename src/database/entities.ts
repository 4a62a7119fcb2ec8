/** Every TypeORM entity, listed explicitly so the same list works from ts-jest and from dist/. */
export const entities: Function[] = [];
