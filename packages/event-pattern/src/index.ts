export const placeholderVersion = 1;
