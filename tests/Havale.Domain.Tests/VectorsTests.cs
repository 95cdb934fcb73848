namespace Havale.Domain.Tests;

public class VectorsTests
{
    // Guards against a vector file that lost its rows: an empty table would make the
    // data-driven tests pass vacuously.
    [Fact]
    public void vector_file_holds_every_table()
    {
        Assert.Equal(16, Rows(Vectors.ValidIbans()));
        Assert.Equal(4, Rows(Vectors.HostDepositIbans()));
        Assert.Equal(7, Rows(Vectors.InvalidIbans()));
        Assert.Equal(6, Rows(Vectors.ValidNationalCodes()));
        Assert.Equal(8, Rows(Vectors.InvalidNationalCodes()));
        Assert.Equal(6, Rows(Vectors.JalaliRenderings()));
    }

    private static int Rows(IEnumerable<object[]> data) => data.Count();
}
