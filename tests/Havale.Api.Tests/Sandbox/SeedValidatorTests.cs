using Havale.Api.Platform;
using Havale.Api.Sandbox;

namespace Havale.Api.Tests.Sandbox;

/// <summary>A bad seed names its bad entry; each case breaks one thing in an otherwise valid seed.</summary>
public sealed class SeedValidatorTests
{
    private const string ValidSeed = """
        {
          "clients": [{"clientId": "c1", "secret": "secret-123", "name": "کلاینت", "nids": ["0012345679"],
                       "redirectUris": ["http://127.0.0.1:8080/callback"], "scopes": ["oak:instant-payment:post"],
                       "maxAmountPerTransactionRials": 1000}],
          "customers": [{"nid": "0012345679", "firstName": "مریم", "lastName": "احمدی"},
                        {"nid": "0023456787", "firstName": "علی", "lastName": "رضایی"}],
          "deposits": [{"number": "0302876732315", "owners": ["0012345679"], "signatories": ["0012345679", "0023456787"],
                        "requiredSignatures": 2, "balanceRials": 5000, "status": "active"}],
          "externalAccounts": [{"iban": "IR370120000000003141592653", "firstName": "محمود", "lastName": "دولت‌آبادی", "status": "active"}]
        }
        """;

    [Fact]
    public void the_reference_seed_is_valid()
    {
        var valid = SeedValidator.Validate(Parse(ValidSeed));
        Assert.Single(valid.Deposits);
        Assert.Single(valid.ExternalAccounts);
    }

    [Theory]
    [InlineData("\"0012345679\", \"firstName\": \"مریم\"", "\"0012345670\", \"firstName\": \"مریم\"", "customers[0].nid '0012345670'")]
    [InlineData("{\"nid\": \"0023456787\"", "{\"nid\": \"0012345679\"", "customers[1].nid '0012345679': duplicate customer")]
    [InlineData("\"nids\": [\"0012345679\"]", "\"nids\": [\"0123456789\"]", "clients[0].nids '0123456789': no customer has this national code")]
    [InlineData("\"signatories\": [\"0012345679\", \"0023456787\"]", "\"signatories\": [\"0012345679\", \"4400000011\"]", "deposits[0].signatories '4400000011'")]
    [InlineData("\"requiredSignatures\": 2", "\"requiredSignatures\": 3", "deposits[0].requiredSignatures 3")]
    [InlineData("\"requiredSignatures\": 2", "\"requiredSignatures\": 0", "deposits[0].requiredSignatures 0")]
    [InlineData("\"number\": \"0302876732315\"", "\"number\": \"030287673231\"", "deposits[0].number '030287673231'")]
    [InlineData("\"balanceRials\": 5000", "\"balanceRials\": -1", "deposits[0].balanceRials -1")]
    [InlineData("\"status\": \"active\"}],\n  \"externalAccounts\"", "\"status\": \"closed\"}],\n  \"externalAccounts\"", "deposits[0].status 'closed'")]
    [InlineData("IR370120000000003141592653", "IR120620000000302876732315", "externalAccounts[0].iban 'IR120620000000302876732315'")]
    [InlineData("IR370120000000003141592653", "IR210620000000302876732315", "a host-bank IBAN is a deposit")]
    [InlineData("\"clientId\": \"c1\"", "\"clientId\": \"c 1\"", "clients[0].clientId 'c 1'")]
    [InlineData("\"secret\": \"secret-123\"", "\"secret\": \"short\"", "clients[0].secret")]
    [InlineData("\"oak:instant-payment:post\"", "\"oak:everything\"", "clients[0].scopes: 'oak:everything'")]
    [InlineData("\"maxAmountPerTransactionRials\": 1000", "\"maxAmountPerTransactionRials\": 0", "clients[0].maxAmountPerTransactionRials")]
    [InlineData("http://127.0.0.1:8080/callback", "callback", "clients[0].redirectUris[0] 'callback'")]
    [InlineData("\"firstName\": \"علی\"", "\"firstName\": \"ع\"", "customers[1].firstName")]
    [InlineData("\"firstName\": \"علی\"", "\"firstName\": \"ع\u202eلی\"", "customers[1].firstName")]
    public void a_seed_with_one_bad_entry_is_refused_naming_it(string find, string replace, string expected)
    {
        Assert.Contains(find, ValidSeed);
        var broken = ValidSeed.Replace(find, replace, StringComparison.Ordinal);

        var failure = Assert.Throws<SeedException>(() => SeedValidator.Validate(Parse(broken)));

        Assert.Contains(failure.Problems, problem => problem.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void an_unknown_key_in_the_seed_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("havale-seed-").FullName;
        var path = Path.Combine(folder, "typo.json");
        File.WriteAllText(path, ValidSeed.Replace("\"balanceRials\"", "\"balanceRial\"", StringComparison.Ordinal));

        var failure = Assert.Throws<SeedException>(() => SeedLoader.Read(path));

        Assert.Contains("balanceRial", failure.Message);
    }

    [Fact]
    public void the_shipped_seed_is_valid()
    {
        var seed = SeedLoader.Read(Path.Combine(AppContext.BaseDirectory, "sandbox.json"));
        var valid = SeedValidator.Validate(seed);
        Assert.NotEmpty(valid.Deposits);
    }

    private static SeedFile Parse(string json) => JsonSerializer.Deserialize<SeedFile>(json, HavaleJson.Options)!;
}
