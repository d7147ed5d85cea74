/**
 * A topology compiled into ordered steps (each one kernel request), with the dependencies between
 * them, and renderings of the plan: an iproute2 script that builds the same network, and a Mermaid
 * diagram. Pure logic, no kernel access.
 */
package io.github.netvirt.core.plan;
