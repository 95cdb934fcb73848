using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Havale.Api.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PolDailyCaps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "pol_beneficiary_days",
                columns: table => new
                {
                    nid = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 10, nullable: false),
                    iban = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 26, nullable: false),
                    tehran_day = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 10, nullable: false),
                    payments = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pol_beneficiary_days", x => new { x.nid, x.iban, x.tehran_day });
                    table.CheckConstraint("ck_pol_beneficiary_days_payments", "payments >= 0");
                });

            migrationBuilder.CreateTable(
                name: "pol_sender_days",
                columns: table => new
                {
                    nid = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 10, nullable: false),
                    tehran_day = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 10, nullable: false),
                    sent_rials = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pol_sender_days", x => new { x.nid, x.tehran_day });
                    table.CheckConstraint("ck_pol_sender_days_sent", "sent_rials >= 0");
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "pol_beneficiary_days");

            migrationBuilder.DropTable(
                name: "pol_sender_days");
        }
    }
}
