using System.Security.Cryptography;
using Factory.OpcUa.Security;

namespace Factory.OpcUa.Tests.Crypto;

/// <summary>The three RSA policies' algorithms, against published vectors and each other.</summary>
public sealed class SecurityPolicyTests
{
    public static TheoryData<string> Policies => [.. SecurityPolicy.All.Select(p => p.Name)];

    [Fact]
    public void P_sha256_matches_an_independent_implementation()
    {
        // openssl kdf -keylen 100 -kdfopt digest:SHA256 -kdfopt hexsecret:9bbe436ba940f017b17652849a71db35
        //   -kdfopt hexseed:74657374206c6162656ca0ba9f936cda311827a6f796ffd5198c TLS1-PRF
        // (TLS 1.2's PRF is P_SHA256 over the label and the seed.)
        var output = SecurityPolicy.PSha256(
            Convert.FromHexString("9bbe436ba940f017b17652849a71db35"),
            Convert.FromHexString("74657374206c6162656ca0ba9f936cda311827a6f796ffd5198c"),
            100);

        Convert.ToHexString(output).Should().Be(
            "E3F229BA727BE17B8D122620557CD453C2AAB21D07C3D495329B52D4E61EDB5A6B301791E90D35C9C9A46B4E14BAF9AF0FA022F7077DEF17ABFD3797C0564BAB"
            + "4FBC91666E9DEF9B97FCE34F796789BAA48082D122EE42C5A72E5A5110FFF70187347B66");
    }

    [Fact]
    public void The_policies_are_found_by_uri_and_name_and_none_is_not_one_of_them()
    {
        SecurityPolicy.Find("http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256").Should().BeSameAs(SecurityPolicy.Basic256Sha256);
        SecurityPolicy.FindByNameOrUri("aes256_sha256_rsapss").Should().BeSameAs(SecurityPolicy.Aes256Sha256RsaPss);
        SecurityPolicy.Find(SecurityPolicies.None).Should().BeNull();
        SecurityPolicy.Find("http://opcfoundation.org/UA/SecurityPolicy#Basic128Rsa15").Should().BeNull("deprecated, not implemented");
    }

    [Theory]
    [InlineData("Basic256Sha256", 32)]
    [InlineData("Aes128_Sha256_RsaOaep", 16)]
    [InlineData("Aes256_Sha256_RsaPss", 32)]
    public void Keys_are_derived_from_both_nonces_in_the_policys_lengths(string name, int encryptingKeyLength)
    {
        var policy = SecurityPolicy.FindByNameOrUri(name)!;
        var client = RandomNumberGenerator.GetBytes(SecurityPolicy.NonceLength);
        var server = RandomNumberGenerator.GetBytes(SecurityPolicy.NonceLength);

        var (clientKeys, serverKeys) = policy.DeriveKeys(client, server);

        clientKeys.SigningKey.Should().HaveCount(32);
        clientKeys.EncryptingKey.Should().HaveCount(encryptingKeyLength);
        clientKeys.InitializationVector.Should().HaveCount(16);
        var material = SecurityPolicy.PSha256(server, client, 32 + encryptingKeyLength + 16);
        clientKeys.SigningKey.Should().Equal(material[..32], "the client's keys are P_SHA256(ServerNonce, ClientNonce)");
        clientKeys.InitializationVector.Should().Equal(material[^16..]);
        serverKeys.SigningKey.Should().Equal(SecurityPolicy.PSha256(client, server, 32), "the server's are P_SHA256(ClientNonce, ServerNonce)");
        policy.DeriveKeys(client, server).Client.EncryptingKey.Should().Equal(clientKeys.EncryptingKey);
    }

    [Fact]
    public void Hmac_and_aes_are_the_published_ones()
    {
        // RFC 4231, test case 2.
        Convert.ToHexString(SecurityPolicy.SymmetricSign("Jefe"u8.ToArray(), "what do ya want for nothing?"u8)).Should()
            .Be("5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843");

        // NIST SP 800-38A, F.2.1 (AES-128-CBC) and F.2.5 (AES-256-CBC), first block.
        var iv = Convert.FromHexString("000102030405060708090A0B0C0D0E0F");
        var block = Convert.FromHexString("6BC1BEE22E409F96E93D7E117393172A");
        var aes128 = new DerivedKeys(new byte[32], Convert.FromHexString("2B7E151628AED2A6ABF7158809CF4F3C"), iv);
        var data = block.ToArray();
        SecurityPolicy.Aes128Sha256RsaOaep.SymmetricEncrypt(aes128, data);
        Convert.ToHexString(data).Should().Be("7649ABAC8119B246CEE98E9B12E9197D");
        SecurityPolicy.Aes128Sha256RsaOaep.SymmetricDecrypt(aes128, data);
        data.Should().Equal(block);

        var aes256 = new DerivedKeys(new byte[32], Convert.FromHexString("603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4"), iv);
        data = block.ToArray();
        SecurityPolicy.Basic256Sha256.SymmetricEncrypt(aes256, data);
        Convert.ToHexString(data).Should().Be("F58C4C04D6E5F1BA779EABFB5F7BFBD6");

        FluentActions.Invoking(() => SecurityPolicy.Basic256Sha256.SymmetricEncrypt(aes128, data)).Should().Throw<CryptographicException>().WithMessage("Basic256Sha256 encrypts with 32-byte keys; this one has 16");
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Asymmetric_encryption_spans_blocks_and_a_flipped_byte_or_another_key_fails(string name)
    {
        var policy = SecurityPolicy.FindByNameOrUri(name)!;
        using var key = RSA.Create(2048);
        using var other = RSA.Create(2048);
        policy.AsymmetricPlainBlockSize(key).Should().Be(policy == SecurityPolicy.Aes256Sha256RsaPss ? 190 : 214);
        var plain = RandomNumberGenerator.GetBytes(policy.AsymmetricPlainBlockSize(key) * 3);

        var cipher = policy.AsymmetricEncrypt(key, plain);

        cipher.Should().HaveCount(3 * 256);
        policy.AsymmetricDecrypt(key, cipher).Should().Equal(plain);
        FluentActions.Invoking(() => policy.AsymmetricDecrypt(other, cipher)).Should().Throw<CryptographicException>();
        cipher[300] ^= 0x01;
        FluentActions.Invoking(() => policy.AsymmetricDecrypt(key, cipher)).Should().Throw<CryptographicException>();
        FluentActions.Invoking(() => policy.AsymmetricDecrypt(key, cipher.AsSpan(0, 100))).Should().Throw<CryptographicException>().WithMessage("100 bytes are not a whole number of 256-byte RSA blocks");
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Asymmetric_signatures_verify_with_the_policys_padding_only(string name)
    {
        var policy = SecurityPolicy.FindByNameOrUri(name)!;
        using var key = RSA.Create(2048);
        var data = RandomNumberGenerator.GetBytes(1000);

        var signature = policy.AsymmetricSign(key, data);

        signature.Should().HaveCount(256);
        policy.AsymmetricVerify(key, data, signature).Should().BeTrue();
        data[0] ^= 1;
        policy.AsymmetricVerify(key, data, signature).Should().BeFalse();
        data[0] ^= 1;
        var padding = policy == SecurityPolicy.Aes256Sha256RsaPss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        key.VerifyData(data, signature, HashAlgorithmName.SHA256, padding).Should().BeTrue("it is the policy's padding");
        key.VerifyData(data, signature, HashAlgorithmName.SHA256, padding == RSASignaturePadding.Pss ? RSASignaturePadding.Pkcs1 : RSASignaturePadding.Pss).Should().BeFalse();
    }

    [Theory]
    [InlineData(100, 32, 16, 11, false)]   // 100 + 1 + 11 + 32 = 144 = 9 × 16
    [InlineData(111, 32, 16, 0, false)]    // 111 + 1 + 32 = 144 already
    [InlineData(1000, 256, 214, 27, false)] // 1000 + 1 + 27 + 256 = 1284 = 6 × 214
    [InlineData(1000, 512, 470, 366, true)] // a 4096-bit key's blocks are over 256 bytes: ExtraPaddingSize too; 1000 + 2 + 366 + 512 = 1880 = 4 × 470
    public void Padding_fills_the_chunk_to_whole_blocks(int plain, int signature, int block, int expected, bool extra)
    {
        var (padding, hasExtra) = SecurityPolicy.Padding(plain, signature, block);

        hasExtra.Should().Be(extra);
        ((plain + (extra ? 2 : 1) + padding + signature) % block).Should().Be(0);
        padding.Should().Be(expected);
    }
}
