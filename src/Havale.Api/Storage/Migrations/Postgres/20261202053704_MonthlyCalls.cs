using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Havale.Api.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MonthlyCalls : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "token_call_months",
                columns: table => new
                {
                    grant_id = table.Column<string>(type: "character(32)", fixedLength: true, maxLength: 32, nullable: false),
                    jalali_month = table.Column<int>(type: "integer", nullable: false),
                    calls = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_token_call_months", x => new { x.grant_id, x.jalali_month });
                    table.CheckConstraint("ck_token_call_months_calls_positive", "calls > 0");
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "token_call_months");
        }
    }
}
