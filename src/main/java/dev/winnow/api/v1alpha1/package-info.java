/**
 * The four Winnow resources, group {@code winnow.dev}, version {@code v1alpha1}, and their shared
 * spec and status types. Plain data: validation is declared with annotations and lands in the
 * generated CRDs; this package imports nothing else of Winnow's.
 */
package dev.winnow.api.v1alpha1;
