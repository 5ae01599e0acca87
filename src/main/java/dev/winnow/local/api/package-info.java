/**
 * The embedded API of {@code winnow demo}: Fabric8's mock server with Winnow's CRDs and RFC 7386 merge patches,
 * behind a gateway that gives kubectl discovery, tables with printer columns and streamed watches. Imports
 * nothing of Winnow's; only the demo builds on it.
 */
package dev.winnow.local.api;
