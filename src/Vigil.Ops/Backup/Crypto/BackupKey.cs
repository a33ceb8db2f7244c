using System.Security.Cryptography;
using System.Text;
using Vigil.Core.Model;
using Vigil.Security;

namespace Vigil.Ops.Backup.Crypto;

/// <summary>The secret of an encrypted target: 32 random bytes in a key file that the admin keeps
/// apart from the target (base64, one line, mode 0600). Three independent keys are derived from it
/// with HKDF-SHA256 (RFC 5869): one encrypts content, one names blob objects (HMAC of the blob id,
/// so object names do not reveal which known message a backup holds), and one gives a public key
/// id that lets Vigil notice a wrong key file before it writes anything.</summary>
public sealed class BackupKey
{
    private const int Length = 32;
    private readonly byte[] _nameKey;

    public byte[] ContentKey { get; }

    /// <summary>Identifies the key without revealing it; recorded in the target header.</summary>
    public string KeyId { get; }

    private BackupKey(byte[] master)
    {
        ContentKey = Derive(master, "vigil-backup/1 content");
        _nameKey = Derive(master, "vigil-backup/1 object names");
        KeyId = Convert.ToHexStringLower(Derive(master, "vigil-backup/1 key id").AsSpan(0, 16));
    }

    /// <summary>Writes a new random key to <paramref name="path"/> (0600); refuses to replace one.</summary>
    public static void Create(string path)
    {
        if (File.Exists(path)) throw new IOException($"{path} already exists; a backup key is never overwritten (the backups made with it would become unreadable).");
        SecretFile.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(Length)) + "\n");
    }

    public static BackupKey Load(string path)
    {
        byte[] master;
        try
        {
            master = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"{path} is not a Vigil backup key (expected one line of base64).");
        }
        if (master.Length != Length) throw new InvalidDataException($"{path} holds {master.Length} bytes; a backup key is {Length}.");
        return new BackupKey(master);
    }

    /// <summary>The object name of a blob in an encrypted target: HMAC-SHA256 of its id.</summary>
    public string ObjectNameOf(BlobId blob) => Convert.ToHexStringLower(HMACSHA256.HashData(_nameKey, Encoding.ASCII.GetBytes(blob.Hex)));

    private static byte[] Derive(byte[] master, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, master, Length, salt: [], info: Encoding.ASCII.GetBytes(purpose));
}
