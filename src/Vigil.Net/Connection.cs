using System.IO.Compression;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace Vigil.Net;

/// <summary>One accepted TCP connection: the socket, the current stream (plain or TLS) and the
/// pipe reader/writer over it. A protocol session reads and writes only through this type.</summary>
public sealed class Connection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _network;
    private Stream _stream;
    private Stream _readStream;
    private Stream _writeStream;

    public Connection(Socket socket, string listenerName)
    {
        _socket = socket;
        _network = new NetworkStream(socket, ownsSocket: true);
        _stream = _readStream = _writeStream = _network;
        ListenerName = listenerName;
        Remote = (IPEndPoint)socket.RemoteEndPoint!;
        Local = (IPEndPoint)socket.LocalEndPoint!;
        Reset();
    }

    public string ListenerName { get; }
    public IPEndPoint Remote { get; }
    public IPEndPoint Local { get; }
    public bool IsTls { get; private set; }

    /// <summary>True once <see cref="StartCompressionAsync"/> has run (IMAP COMPRESS=DEFLATE).</summary>
    public bool IsCompressed { get; private set; }
    public SslProtocolsInfo? Tls { get; private set; }

    /// <summary>Why an admin ended this session (lockdown, forced reset), set just before its
    /// cancellation token fires, so a protocol that says goodbye itself can give the reason.</summary>
    public string? EndReason { get; internal set; }

    /// <summary>Loopback clients may authenticate without TLS (local tools, tests); nobody else.</summary>
    public bool IsLoopback => IPAddress.IsLoopback(Remote.Address);

    public ProtocolReader Reader { get; private set; } = null!;
    public PipeWriter Output { get; private set; } = null!;

    /// <summary>Starts TLS on this connection. Any bytes the client sent before the handshake and
    /// that are still buffered are thrown away (RFC 3207 §4, RFC 2595 §3.1: no plaintext command
    /// injection across STARTTLS).</summary>
    public async Task StartTlsAsync(SslServerAuthenticationOptions options, TimeSpan timeout, CancellationToken ct)
    {
        await Output.FlushAsync(ct);
        await Reader.Input.CompleteAsync();
        await Output.CompleteAsync();
        var ssl = new SslStream(_network, leaveInnerStreamOpen: false);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        await ssl.AuthenticateAsServerAsync(options, cts.Token);
        _stream = _readStream = _writeStream = ssl;
        IsTls = true;
        Tls = new SslProtocolsInfo(ssl.SslProtocol.ToString(), ssl.NegotiatedCipherSuite.ToString());
        Reset();
    }

    /// <summary>Compresses both directions from now on with raw DEFLATE (RFC 4978 §3, RFC 1951);
    /// every flush of the output ends with a sync flush so the client can decode what it got.
    /// The reply that announced compression must have been written before.</summary>
    public async Task StartCompressionAsync(CancellationToken ct)
    {
        if (IsCompressed) throw new InvalidOperationException("Compression is already active.");
        await Output.FlushAsync(ct);
        await Reader.Input.CompleteAsync();
        await Output.CompleteAsync();
        _readStream = new DeflateStream(_stream, CompressionMode.Decompress, leaveOpen: true);
        _writeStream = new DeflateStream(_stream, CompressionLevel.Fastest, leaveOpen: true);
        IsCompressed = true;
        Reset();
    }

    private void Reset()
    {
        var output = PipeWriter.Create(_writeStream, new StreamPipeWriterOptions(leaveOpen: true, minimumBufferSize: 16 * 1024));
        Output = output;
        Reader = new ProtocolReader(PipeReader.Create(_readStream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true, useZeroByteReads: true)), output);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Output.CompleteAsync();
            await Reader.Input.CompleteAsync();
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // the peer is gone; nothing to tell it
        }
        if (IsCompressed)
        {
            try
            {
                // Disposing the deflate stream writes its final block (RFC 4978 §4): a client that
                // has already hung up makes that fail, which must not escape the session.
                await _writeStream.DisposeAsync();
                await _readStream.DisposeAsync();
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                // the peer is gone; the final block has nowhere to go
            }
        }
        await _stream.DisposeAsync();
    }
}

/// <summary>What TLS was negotiated, for Received headers and logs.</summary>
public sealed record SslProtocolsInfo(string Protocol, string CipherSuite);
