namespace Havale.Domain.Tests.Banking;

public class BanksTests
{
    // The 15 Pol banks of the Pol document; Blu and Saman share 056.
    private static readonly string[] PolCodes =
        ["012", "061", "070", "019", "056", "078", "017", "057", "055", "013", "015", "016", "064", "069"];

    [Fact]
    public void exactly_the_fourteen_pol_codes_are_pol_participants()
    {
        var participantCodes = Banks.All.Where(bank => bank.IsPolParticipant).Select(bank => bank.Code).Distinct();

        Assert.Equal(PolCodes.Order(), participantCodes.Order());
    }

    [Fact]
    public void fifteen_pol_banks_are_listed_with_blu_and_saman_both_on_056()
    {
        Assert.Equal(15, Banks.All.Count(bank => bank.IsPolParticipant));
        Assert.Equal(["Saman", "Blu"], Banks.All.Where(bank => bank.Code == "056").Select(bank => bank.EnglishName));
    }

    [Fact]
    public void code_056_finds_saman_rather_than_its_brand_blu() =>
        Assert.Equal("Saman", Banks.Find("056")?.EnglishName);

    [Theory]
    [InlineData("062", "Ayandeh")]
    [InlineData("018", "Tejarat")]
    [InlineData("014", "Maskan")]
    [InlineData("059", "Sina")]
    [InlineData("054", "Parsian")]
    [InlineData("021", "Post Bank")]
    [InlineData("020", "Tose'e Saderat")]
    [InlineData("011", "Sanat va Madan")]
    [InlineData("053", "Karafarin")]
    [InlineData("066", "Dey")]
    [InlineData("022", "Tose'e Ta'avon")]
    [InlineData("058", "Sarmayeh")]
    [InlineData("073", "Kosar")]
    [InlineData("075", "Melal")]
    [InlineData("060", "Mehr Iran")]
    [InlineData("010", "Central Bank")]
    public void known_bank_outside_pol_is_not_a_participant(string code, string englishName)
    {
        Assert.True(Banks.TryGet(code, out var bank));
        Assert.Equal(englishName, bank.EnglishName);
        Assert.False(bank.IsPolParticipant);
    }

    [Fact]
    public void host_bank_is_ayandeh_and_not_a_pol_destination()
    {
        var host = Banks.Find(Banks.HostBankCode);

        Assert.NotNull(host);
        Assert.Equal("آینده", host.PersianName);
        Assert.False(host.IsPolParticipant);
    }

    [Theory]
    [InlineData("999")]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("0120")]
    public void unknown_code_finds_no_bank(string code)
    {
        Assert.False(Banks.TryGet(code, out var bank));
        Assert.Null(bank);
        Assert.Null(Banks.Find(code));
    }

    [Fact]
    public void every_bank_has_a_three_digit_code_and_both_names()
    {
        Assert.All(Banks.All, bank =>
        {
            Assert.Matches("^[0-9]{3}$", bank.Code);
            Assert.Matches(@"^[\u0600-\u06FF ]+$", bank.PersianName);
            Assert.Matches("^[A-Za-z' ]+$", bank.EnglishName);
        });
    }

    [Fact]
    public void only_blu_shares_a_code() =>
        Assert.Equal(Banks.All.Count - 1, Banks.All.Select(bank => bank.Code).Distinct().Count());

    [Theory]
    [MemberData(nameof(Vectors.ValidIbans), MemberType = typeof(Vectors))]
    public void every_vector_iban_bank_is_known(string iban, string bankCode)
    {
        Assert.Equal(bankCode, Iban.Parse(iban).BankCode);
        Assert.NotNull(Banks.Find(bankCode));
    }
}
