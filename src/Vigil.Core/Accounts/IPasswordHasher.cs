namespace Vigil.Core.Accounts;

/// <summary>Turns passwords into self-describing hashes (PHC string format) and checks them.</summary>
public interface IPasswordHasher
{
    string Hash(string password);

    bool Verify(string password, string encodedHash);
}
