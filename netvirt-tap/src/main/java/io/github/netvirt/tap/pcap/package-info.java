/**
 * Classic libpcap capture files ({@code tcpdump -w}/{@code -r}): Ethernet or raw-IP link types,
 * microsecond or nanosecond timestamps, written and read without allocating per frame.
 */
package io.github.netvirt.tap.pcap;
