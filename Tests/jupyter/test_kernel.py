"""AlphaLab's Jupyter kernel under Jupyter's own tools.

jupyter_kernel_test's whole suite (kernel_info, stdout, stderr, completion,
complete/incomplete/invalid code, error, execute_result, display_data, history,
inspect, clear_output), then what it does not cover: rich results, interrupts by
signal and by message, input through the stdin channel, messages with a wrong
signature, a restart, and the sandboxed kernel.

Run by Tests/AlphaLabTests/KernelTests.swift with JUPYTER_PATH pointing at the
kernelspecs `alphalab kernel install --prefix` wrote (alphalab, alphalab-sandbox).
"""
import os
import tempfile
import time
import unittest

import jupyter_kernel_test
import zmq
from jupyter_client.manager import KernelManager, start_new_kernel
from jupyter_client.session import Session

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


class AlphaLabKernelTests(jupyter_kernel_test.KernelTests):
    """The protocol, as jupyter_kernel_test checks it (every message validated against the spec)."""

    kernel_name = "alphalab"
    language_name = "lua"
    file_extension = ".lua"

    code_hello_world = 'print("hello, world")'
    code_stderr = 'io.stderr:write("a warning\\n")'
    completion_samples = [
        {"text": "lab.ru", "matches": {"lab.run", "lab.runs"}},
        {"text": "string.up", "matches": {"string.upper"}},
        {"text": "pri", "matches": {"print"}},
        {"text": "d = lab.synthetic{ti", "matches": {"tickers"}},
    ]
    complete_code_samples = ["1 + 1", "for i = 1, 2 do print(i) end", "x = 1", "local t = {1, 2}"]
    incomplete_code_samples = ["for i = 1, 2 do", "function f(x)", "t = {", "x = [[long"]
    invalid_code_samples = ["x = = 1", "end end", "1 +* 2"]
    code_generate_error = 'error("boom")'
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "'a' .. 'b'", "result": "ab"},
        {"code": "#'alphalab'", "result": "8"},
    ]
    code_display_data = [
        {"code": 'display.html("<b>bold</b>")', "mime": "text/html"},
        {"code": f"display.svg('{SVG}')", "mime": "image/svg+xml"},
        {"code": "display({1, 2, 3})", "mime": "text/plain"},
    ]
    code_history_pattern = "6 *"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "lab.run"
    code_clear_output = 'print("soon gone"); display.clear()'


def execute(kc, code, timeout=120, **options):
    """Runs `code`; returns the reply's content and the iopub messages (type, content) it caused."""
    messages = []
    reply = kc.execute_interactive(code, timeout=timeout, output_hook=lambda m: messages.append((m["msg_type"], m["content"])), **options)
    return reply["content"], messages


class RichAndControlTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
        cls.km = KernelManager(kernel_name="alphalab")
        cls.km.start_kernel(stderr=cls.log)
        cls.kc = cls.km.client()
        cls.kc.start_channels()
        cls.kc.wait_for_ready(timeout=30)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel()
        os.unlink(cls.log.name)

    def test_result_as_table_and_equity_curve(self):
        reply, messages = execute(self.kc, """
            data = lab.synthetic{ tickers = 30, start = "2022-01-03", ["end"] = "2024-12-31" }
            cfg = lab.config{ name = "momentum", strategy = "momentum_12_1", start_year = 2024, end_year = 2024 }
            r = lab.run(cfg, data)
            r""")
        self.assertEqual(reply["status"], "ok", reply)
        results = [c for t, c in messages if t == "execute_result"]
        self.assertEqual(len(results), 1)
        data = results[0]["data"]
        self.assertIn("<table", data["text/html"])
        self.assertIn("momentum", data["text/html"])
        self.assertTrue(data["image/svg+xml"].startswith("<svg"))
        self.assertIn("momentum", data["text/plain"])

    def test_a_long_lua_loop_is_interrupted_by_signal_and_the_kernel_lives_on(self):
        self.kc.execute("local n = 0 while true do n = n + 1 end")
        time.sleep(1.0)
        self.km.interrupt_kernel()  # the kernelspec's interrupt_mode is "signal": SIGINT
        reply = self.kc.get_shell_msg(timeout=20)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "Interrupted")
        self.assertEqual(execute(self.kc, "print(1)")[0]["status"], "ok")

    def test_an_engine_run_is_interrupted_by_message_and_the_kernel_lives_on(self):
        self.kc.execute("""
            local data = lab.synthetic{ tickers = 80 }
            lab.run(lab.config{ name = "long", start_year = 2008, end_year = 2025, retrain_weeks = 1 }, data)""")
        time.sleep(2.0)
        started = time.time()
        self.kc.control_channel.send(self.kc.session.msg("interrupt_request", {}))
        control = self.kc.control_channel.get_msg(timeout=10)
        self.assertEqual(control["msg_type"], "interrupt_reply")
        reply = self.kc.get_shell_msg(timeout=60)
        self.assertEqual(reply["content"]["status"], "error", reply["content"])
        self.assertLess(time.time() - started, 30)
        content, messages = execute(self.kc, "1 + 1")
        self.assertEqual(content["status"], "ok")
        self.assertEqual([c["data"]["text/plain"] for t, c in messages if t == "execute_result"], ["2"])

    def test_input_goes_through_the_stdin_channel(self):
        prompts = []

        def answer(message):
            prompts.append(message["content"]["prompt"])
            self.kc.input("Ada" if len(prompts) == 1 else "42")

        reply, messages = execute(self.kc, 'local name = input("name? ")\nlocal n = io.read("n")\nprint(name, n + 1)',
                                  allow_stdin=True, stdin_hook=answer)
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual(prompts, ["name? ", ""])
        self.assertIn("Ada\t43", "".join(c["text"] for t, c in messages if t == "stream"))

    def test_input_without_stdin_is_an_error(self):
        reply, _ = execute(self.kc, 'input("x")', allow_stdin=False)
        self.assertEqual(reply["status"], "error")
        self.assertIn("allow_stdin is false", reply["evalue"])

    def test_a_message_with_a_wrong_signature_is_dropped_and_logged(self):
        info = self.km.get_connection_info()
        forged = Session(key=b"not-the-key", username="mallory")
        socket = zmq.Context.instance().socket(zmq.DEALER)
        socket.connect(f"tcp://{info['ip']}:{info['shell_port']}")
        forged.send(socket, "execute_request", {"code": "forged = true", "silent": False, "store_history": True,
                                                "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        self.assertEqual(socket.poll(2000), 0, "the kernel answered a forged message")
        socket.close(0)
        content, messages = execute(self.kc, "forged")
        self.assertEqual([c["data"]["text/plain"] for t, c in messages if t == "execute_result"], ["nil"])
        self.log.flush()
        with open(self.log.name) as log:
            self.assertIn("wrong signature", log.read())

    def test_an_error_aborts_the_cells_queued_behind_it(self):
        # The first cell works for half a second, so that the second is queued behind it.
        first = self.kc.execute('local t = os.clock() while os.clock() - t < 0.5 do end error("stop here")')
        second = self.kc.execute('never_set = 1')
        replies = {}
        while len(replies) < 2:
            message = self.kc.get_shell_msg(timeout=20)
            replies[message["parent_header"]["msg_id"]] = message["content"]["status"]
        self.assertEqual(replies, {first: "error", second: "aborted"})
        self.assertEqual([c["data"]["text/plain"] for t, c in execute(self.kc, "never_set")[1] if t == "execute_result"], ["nil"])


class RestartTests(unittest.TestCase):
    def test_a_restart_gives_a_fresh_kernel_that_answers(self):
        km, kc = start_new_kernel(kernel_name="alphalab")
        try:
            self.assertEqual(execute(kc, "kept = 42")[0]["status"], "ok")
            first = km.provisioner.process.pid
            km.restart_kernel(now=False)  # a shutdown_request with restart = true, then a new process
            kc.wait_for_ready(timeout=30)
            self.assertNotEqual(km.provisioner.process.pid, first)
            content, messages = execute(kc, "kept")
            self.assertEqual(content["status"], "ok")
            self.assertEqual([c["data"]["text/plain"] for t, c in messages if t == "execute_result"], ["nil"])
            self.assertEqual(content["execution_count"], 1)
        finally:
            kc.stop_channels()
            km.shutdown_kernel()


class SandboxedKernelTests(unittest.TestCase):
    def test_the_sandboxed_kernel_refuses_programs_and_foreign_files(self):
        km, kc = start_new_kernel(kernel_name="alphalab-sandbox")
        try:
            reply, _ = execute(kc, 'os.execute("true")')
            self.assertEqual(reply["status"], "error")
            reply, _ = execute(kc, 'io.open("/etc/hostname")')
            self.assertEqual(reply["status"], "error")
            self.assertIn("sandbox", reply["evalue"])
            self.assertEqual(execute(kc, "print(1 + 1)")[0]["status"], "ok")
        finally:
            kc.stop_channels()
            km.shutdown_kernel()


if __name__ == "__main__":
    unittest.main(verbosity=2)
