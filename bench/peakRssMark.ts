/** The marker line `peakRss.ts` writes on stderr as its child exits, followed by the peak RSS in KiB. */
export const PEAK_RSS_MARK = 'kafka-mc-bench peak-rss-kib ';
