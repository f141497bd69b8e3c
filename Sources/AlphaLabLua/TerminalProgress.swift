import AlphaLab
import Foundation

/// A walk-forward's progress as one line redrawn in place on a terminal's stderr, for
/// `lab.run` in the REPL (scripts draw their own, notebooks theirs): the experiment, a bar,
/// periods done, retrainings, the date and the time left. Quiet for runs that finish within
/// half a second, and at most ten redraws a second; the line is wiped when the run ends.
final class TerminalProgress {
    private let clock = Stopwatch()
    private var lastDraw = -1.0
    private var drawn = false

    /// Redraws the line for `report`.
    func update(_ report: WalkForwardProgress) {
        let now = clock.seconds
        guard now >= 0.5, now - lastDraw >= 0.1 || report.period == report.total else { return }
        lastDraw = now
        let width = 24
        let done = report.total > 0 ? min(width, width * report.period / report.total) : width
        let bar = String(repeating: "#", count: done) + String(repeating: ".", count: width - done)
        var line = "\(report.experiment) [\(bar)] \(report.period)/\(report.total) \(report.date)"
        if report.full + report.fullLeft + report.updates + report.updatesLeft > 0 {
            line += "  trainings \(report.full + report.updates)/\(report.full + report.updates + report.fullLeft + report.updatesLeft)"
        }
        if report.secondsLeft.isFinite && report.secondsLeft >= 1 { line += "  ~\(Int(report.secondsLeft.rounded())) s left" }
        write("\r\u{1B}[K" + line)
        drawn = true
    }

    /// Wipes the line, if one was drawn.
    func finish() {
        if drawn { write("\r\u{1B}[K") }
        drawn = false
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
