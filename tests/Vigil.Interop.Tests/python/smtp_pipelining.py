"""Sends MAIL, several RCPTs and DATA in one write (RFC 2920 pipelining) over a raw socket and
checks every reply. Usage: smtp_pipelining.py HOST PORT RCPT [RCPT...]"""
import socket, sys

host, port, rcpts = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
s = socket.create_connection((host, port), timeout=20)
f = s.makefile("rb")

def reply():
    lines = []
    while True:
        line = f.readline().decode()
        lines.append(line.rstrip("\r\n"))
        if len(line) < 4 or line[3] != "-":
            return lines

assert reply()[-1].startswith("220")
s.sendall(b"EHLO pipe.test\r\n")
assert any("PIPELINING" in l for l in reply())
batch = "MAIL FROM:<pipe@remote.test>\r\n" + "".join(f"RCPT TO:<{r}>\r\n" for r in rcpts) + "DATA\r\n"
s.sendall(batch.encode())
codes = [reply()[-1][:3] for _ in range(len(rcpts) + 2)]
print("replies:", codes)
assert codes == ["250"] + ["250"] * len(rcpts) + ["354"], codes
s.sendall(b"Subject: pipelined\r\n\r\nbody\r\n.\r\nQUIT\r\n")
final = reply()[-1]
print(final)
assert final.startswith("250 2.0.0"), final
assert reply()[-1].startswith("221")
