//! The numbers loadgen reads about processes: a server's CPU and RSS from /proc, its own CPU
//! (getrusage), and its open-file limit raised for thousands of sockets.

/// Raises this process's open-file limit as far as it goes (10,000 sessions need 10,000 sockets).
pub fn raise_fd_limit() {
    // SAFETY: getrlimit/setrlimit with a valid pointer to a local struct.
    unsafe {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return;
        }
        let want: libc::rlim_t = 1 << 20;
        let raised = libc::rlimit {
            rlim_cur: want,
            rlim_max: want.max(lim.rlim_max),
        };
        if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) != 0 {
            lim.rlim_cur = lim.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
    }
}

pub fn clk_tck() -> f64 {
    // SAFETY: sysconf has no preconditions.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t > 0 { t as f64 } else { 100.0 }
}

/// CPU time in ms of a process and its waited-for children (utime+stime+cutime+cstime).
pub fn proc_cpu_ms(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // Field 3 (state) is f[0]; utime is field 14.
    let ticks: u64 = (11..=14)
        .filter_map(|i| f.get(i)?.parse::<u64>().ok())
        .sum();
    Some(ticks as f64 * 1000.0 / clk_tck())
}

/// Resident set size in KiB.
pub fn proc_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

/// This process's own CPU time in ms.
pub fn self_cpu_ms() -> f64 {
    // SAFETY: getrusage writes into a zeroed local struct.
    unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut u);
        let ms = |t: libc::timeval| t.tv_sec as f64 * 1000.0 + t.tv_usec as f64 / 1000.0;
        ms(u.ru_utime) + ms(u.ru_stime)
    }
}

// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_process_and_nothing_for_a_missing_one() {
        let me = std::process::id();
        // Burn CPU until getrusage has counted 20 ms of it (bounded at 5 s of wall time).
        let c0 = self_cpu_ms();
        let t = std::time::Instant::now();
        let mut x = 0u64;
        while self_cpu_ms() - c0 < 20.0 && t.elapsed() < std::time::Duration::from_secs(5) {
            for _ in 0..10_000 {
                x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
            }
        }
        assert!(self_cpu_ms() - c0 >= 20.0);
        // /proc counts in clock ticks (10 ms at 100 Hz): 20 ms of this thread is at least one.
        assert!(proc_cpu_ms(me).is_some_and(|ms| ms > 0.0));
        assert!(proc_rss_kib(me).is_some_and(|kib| kib > 100));
        // PIDs stop well below this (pid_max is at most 2^22).
        assert_eq!(proc_cpu_ms(u32::MAX), None);
        assert_eq!(proc_rss_kib(u32::MAX), None);
    }
}
