/**
 * The validated, immutable description of a topology: namespaces, devices of each kind, addresses,
 * routes, and the small value types they use (prefixes, MAC addresses). Pure data, no kernel access.
 */
package io.github.netvirt.core.spec;
