# category: legit
# want: pass
# why: a job may serve and connect on its own loopback
import socket, threading
def f():
    srv = socket.socket()
    srv.bind(('127.0.0.1', 0))
    srv.listen(1)
    port = srv.getsockname()[1]
    def serve():
        conn, _ = srv.accept()
        conn.sendall(b'hi')
        conn.close()
    threading.Thread(target=serve).start()
    c = socket.create_connection(('127.0.0.1', port))
    data = c.recv(2)
    c.close()
    return data
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), b'hi')
